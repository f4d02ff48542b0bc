package dev.rewind.layers.elman;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Activation;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.RecurrentCell;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What a step of each cell outputs and carries, and how the cells name their parameters. */
class ElmanCellTest {
  private final Var input = Var.constant(Tensor.randomNormal(Shape.of(2, 3), 0, 1, new Random(9)));

  @Test
  void anElmanCellWithoutOutputLayerOutputsItsState() {
    ElmanCell cell = ElmanCell.random(3, 4, Activation.TANH, new Random(1));

    RecurrentCell.Step<HiddenState> step = cell.step(input, cell.initialState(2));

    assertSame(step.output(), step.state().h());
    assertEquals(List.of("U", "W", "b"), List.copyOf(cell.namedParameters().keySet()));
    assertFalse(cell.hasOutputLayer());
    assertEquals(4, cell.outputSize());
    assertThrows(IllegalStateException.class, cell::v);
  }

  @Test
  void anElmanCellWithOutputLayerOutputsYAndCarriesH() {
    ElmanCell cell = ElmanCell.random(3, 4, 2, Activation.TANH, Activation.SOFTMAX, new Random(1));

    RecurrentCell.Step<HiddenState> step = cell.step(input, cell.initialState(2));

    assertEquals(Shape.of(2, 2), step.output().shape());
    assertEquals(Shape.of(2, 4), step.state().h().shape());
    assertEquals(List.of("U", "W", "b", "V", "c"), List.copyOf(cell.namedParameters().keySet()));
    assertEquals(3 * 4 + 4 * 4 + 4 + 4 * 2 + 2, cell.parameterCount());
  }

  @Test
  void withOutputMakesANewCellAndLeavesThisOneAlone() {
    ElmanCell hidden = ElmanCell.random(3, 4, Activation.TANH, new Random(1));

    ElmanCell full = hidden.withOutput(Tensor.zeros(4, 2), Tensor.zeros(2), Activation.IDENTITY);

    assertFalse(hidden.hasOutputLayer());
    assertTrue(full.hasOutputLayer());
    assertEquals(hidden.u().value(), full.u().value());
    assertNotSame(hidden.u(), full.u());
  }

  @Test
  void theSameSeedGivesTheSameWeights() {
    ElmanCell one = ElmanCell.random(3, 4, 2, Activation.TANH, Activation.TANH, new Random(5));
    ElmanCell two = ElmanCell.random(3, 4, 2, Activation.TANH, Activation.TANH, new Random(5));

    for (int i = 0; i < one.parameters().size(); i++) {
      assertEquals(one.parameters().get(i).value(), two.parameters().get(i).value());
    }
  }

  @Test
  void theDefaultInitialiserDrawsWithinOneOverTheSquareRootOfTheHiddenSize() {
    ElmanCell cell = ElmanCell.random(3, 16, 2, Activation.TANH, Activation.TANH, new Random(5));

    for (var parameter : cell.parameters()) {
      for (double value : parameter.value().toArray()) {
        assertTrue(Math.abs(value) <= 0.25, parameter.name() + ": " + value);
      }
    }
  }

  @Test
  void aJordanCellFeedsBackItsOutput() {
    JordanCell cell =
        JordanCell.random(3, 4, 2, Activation.TANH, Activation.SIGMOID, new Random(1));

    RecurrentCell.Step<HiddenState> step = cell.step(input, cell.initialState(2));

    assertSame(step.output(), step.state().h());
    assertEquals(Shape.of(2, 2), cell.initialState(2).h().shape());
    assertEquals(Shape.of(2, 4), cell.hidden(input, cell.initialState(2)).shape());
    assertEquals(List.of("U", "W", "b", "V", "c"), List.copyOf(cell.namedParameters().keySet()));
    assertEquals(Shape.of(2, 4), cell.w().shape()); // W [out, hidden]
  }
}
