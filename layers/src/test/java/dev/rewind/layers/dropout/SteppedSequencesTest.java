package dev.rewind.layers.dropout;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Activation;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.StackedCell;
import dev.rewind.layers.VariationalDropout;
import dev.rewind.layers.elman.ElmanCell;
import dev.rewind.layers.seq.OneToMany;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Variational dropout in a cell that is stepped one step at a time — a stack's layers above its
 * lowest, the cell of {@link OneToMany} — draws new masks for every sequence, not the first
 * sequence's masks forever. With dropout nowhere else, two runs on the same inputs differ only if
 * the masks do.
 */
class SteppedSequencesTest {
  private static final Random WEIGHTS = new Random(2);

  private static VariationalDropout<HiddenState> dropped(int in, int hidden) {
    return VariationalDropout.wrap(
        ElmanCell.random(in, hidden, Activation.TANH, WEIGHTS), 0.5, 0.5, 0.5, new Random(4));
  }

  @Test
  void theUpperLayersOfAStackDrawNewMasksForEachSequence() {
    StackedCell<HiddenState> stack =
        new StackedCell<>(ElmanCell.random(2, 4, Activation.TANH, WEIGHTS), dropped(4, 3));
    Var inputs = Var.constant(Tensor.randomNormal(Shape.of(3, 5, 2), 0, 1, new Random(3)));

    double[] first = new Recurrent<>(stack).run(inputs).stacked().value().toArray();
    double[] second = new Recurrent<>(stack).run(inputs).stacked().value().toArray();

    assertFalse(Arrays.equals(first, second));
  }

  @Test
  void oneToManyDrawsNewMasksForEachSequence() {
    OneToMany<HiddenState> generator = new OneToMany<>(dropped(3, 3), y -> y);
    Var first = Var.constant(Tensor.randomNormal(Shape.of(2, 3), 0, 1, new Random(5)));

    double[] once = generator.run(first, 4).stacked().value().toArray();
    double[] again = generator.run(first, 4).stacked().value().toArray();

    assertFalse(Arrays.equals(once, again));
  }
}
