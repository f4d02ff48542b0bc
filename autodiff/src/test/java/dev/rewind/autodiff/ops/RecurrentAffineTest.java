package dev.rewind.autodiff.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rewind.autodiff.ops.rnn.FusedSteps;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The fused {@code recurrentAffine} gives the numbers of its composition, {@code h.affine(W,
 * x.affine(U, b))}, for an output of other columns than the state has (an LSTM's 4H): the value,
 * and the gradient of every input whether or not the backward pass is itself recorded; and a step
 * of a sequence read in place gives the numbers of its slice.
 */
class RecurrentAffineTest {
  private final Random random = new Random(29);

  @Test
  void givesTheNumbersOfItsCompositionForDenseRows() {
    assertSameAsComposed(Tensor.randomNormal(Shape.of(5, 7), 0, 1, random), 4, 16);
  }

  @Test
  void givesTheNumbersOfItsCompositionForOneHotRows() {
    // The forward pass finds x's non-zeros once, for x U and for U's gradient xᵀ g.
    double[] values = new double[32 * 65];
    for (int row = 0; row < 32; row++) {
      values[row * 65 + random.nextInt(65)] = 1.0;
    }
    assertSameAsComposed(Tensor.of(Shape.of(32, 65), values), 32, 128);
  }

  @Test
  void aStepOfASequenceGivesTheNumbersOfItsSlice() {
    // One-hot rows take the sparse path, normal ones the dense one.
    for (Tensor xs : SequenceSteps.sequences(random)) {
      int batch = xs.shape().dim(0);
      int hidden = batch == 32 ? 32 : 3;
      List<Var> inputs = inputsFor(Var.constant(xs), batch, xs.shape().dim(2), hidden, 4 * hidden);
      Tensor seed = Tensor.randomNormal(Shape.of(batch, 4 * hidden), 0, 1, random);
      SequenceSteps.assertStepsGiveTheNumbersOfTheirSlices(
          FusedSteps::recurrentAffine, FusedSteps::recurrentAffine, inputs, seed);
    }
  }

  @Test
  void aWeightOfOtherColumnsThanTheRecurrentOnesIsNamed() {
    String message =
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    FusedSteps.recurrentAffine(
                        Var.constant(Tensor.zeros(2, 3)),
                        Var.constant(Tensor.zeros(2, 4)),
                        Var.constant(Tensor.zeros(3, 8)),
                        Var.constant(Tensor.zeros(4, 16)),
                        Var.constant(Tensor.zeros(16))))
            .getMessage();

    assertEquals(
        "recurrentAffine: U has shape [3, 8] but x [2, 3] and h [2, 4] need [3, 16]", message);
  }

  /** {@code x} with a state and weights for {@code columns} outputs, drawn at random. */
  private List<Var> inputsFor(Var x, int batch, int features, int hidden, int columns) {
    return List.of(
        x,
        Var.constant(Tensor.randomNormal(Shape.of(batch, hidden), 0, 0.5, random)),
        Var.constant(Tensor.randomNormal(Shape.of(features, columns), 0, 0.3, random)),
        Var.constant(Tensor.randomNormal(Shape.of(hidden, columns), 0, 0.3, random)),
        Var.constant(Tensor.randomNormal(Shape.of(columns), 0, 1, random)));
  }

  private void assertSameAsComposed(Tensor x, int hidden, int columns) {
    int batch = x.shape().dim(0);
    List<Var> inputs = inputsFor(Var.constant(x), batch, x.shape().dim(1), hidden, columns);
    Tensor seed = Tensor.randomNormal(Shape.of(batch, columns), 0, 1, random);
    Function<List<Var>, Var> fused =
        in -> FusedSteps.recurrentAffine(in.get(0), in.get(1), in.get(2), in.get(3), in.get(4));
    Function<List<Var>, Var> composed =
        in -> in.get(1).affine(in.get(3), in.get(0).affine(in.get(2), in.get(4)));

    BackwardPasses.assertSameNumbers(
        composed, fused, inputs, seed, "batch " + batch + ", columns " + columns);
  }
}
