package dev.rewind.layers.notes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.layers.Activation;
import dev.rewind.layers.elman.ElmanCell;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The exercise of note 004_54bd929fd6f3ab2a.txt: an RNN whose inputs are vectors of length n, with
 * one hidden layer of n/2 units and an output layer of 2, has 161 weights (biases not counted): n =
 * 14, since n·n/2 + n/2·n/2 + n/2·2 = 3n²/4 + n.
 */
class Note004ParameterCountTest {

  @Test
  void only14InputsGive161Weights() {
    List<Integer> solutions = new ArrayList<>();
    for (int n = 2; n <= 100; n += 2) {
      if (weights(n) == 161) {
        solutions.add(n);
      }
    }
    assertEquals(List.of(14), solutions);
  }

  @Test
  void theNetworkOfTheExerciseHasUWAndVOfTheNotesSizes() {
    ElmanCell cell = network(14);

    assertEquals(List.of("U", "W", "b", "V", "c"), List.copyOf(cell.namedParameters().keySet()));
    assertEquals(14 * 7, cell.u().value().size());
    assertEquals(7 * 7, cell.w().value().size());
    assertEquals(7 * 2, cell.v().value().size());
    assertEquals(161 + 7 + 2, cell.parameterCount());
  }

  /** The network's parameter count less its biases b [n/2] and c [2]. */
  private static int weights(int n) {
    ElmanCell cell = network(n);
    return cell.parameterCount() - cell.b().value().size() - cell.c().value().size();
  }

  private static ElmanCell network(int n) {
    return ElmanCell.random(n, n / 2, 2, Activation.SIGMOID, Activation.SOFTMAX, new Random(4));
  }
}
