package dev.rewind.layers.dropout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Activation;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.StackedCell;
import dev.rewind.layers.StackedState;
import dev.rewind.layers.VariationalDropout;
import dev.rewind.layers.elman.ElmanCell;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Dropout draws its masks from the generator handed down with {@code useGenerator} once there is
 * one, else from the one it was built with: what lets the training loop make a resumed run draw the
 * masks of an uninterrupted one.
 */
class DropoutGeneratorTest {
  private static final Var INPUTS =
      Var.constant(Tensor.randomNormal(Shape.of(3, 5, 2), 0, 1, new Random(3)));

  /**
   * Variational dropout inside a stack with dropout between its layers, built with {@code seed}.
   */
  private static StackedCell<HiddenState> network(long seed) {
    Random weights = new Random(1);
    VariationalDropout<HiddenState> lower =
        VariationalDropout.wrap(
            ElmanCell.random(2, 4, Activation.TANH, weights), 0.3, 0.3, 0.3, new Random(seed));
    ElmanCell upper = ElmanCell.random(4, 3, Activation.TANH, weights);
    return new StackedCell<>(lower, upper).withDropout(0.5, new Random(seed + 1));
  }

  private static double[] outputs(StackedCell<HiddenState> network) {
    Recurrent.Unrolled<StackedState<HiddenState>> run = new Recurrent<>(network).run(INPUTS);
    return run.stacked().value().toArray();
  }

  @Test
  void aHandedDownGeneratorDecidesEveryMaskBelowIt() {
    StackedCell<HiddenState> first = network(7);
    StackedCell<HiddenState> second = network(8);
    first.useGenerator(new Random(42));
    second.useGenerator(new Random(42));

    assertArrayEquals(
        outputs(first), outputs(second), "built with other generators, handed the same one");
    assertFalse(
        Arrays.equals(outputs(first), outputs(network(7))),
        "the generator handed down replaces the one built with");
  }

  @Test
  void withoutAGeneratorHandedDownTheOneBuiltWithDraws() {
    assertArrayEquals(outputs(network(7)), outputs(network(7)));
    assertFalse(Arrays.equals(outputs(network(7)), outputs(network(8))));
  }

  @Test
  void aNullGeneratorIsRefusedByName() {
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> network(7).useGenerator(null));
    assertTrue(e.getMessage().contains("StackedCell: useGenerator(null)"), e.getMessage());
  }
}
