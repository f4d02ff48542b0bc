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
 * The fused {@code rnnTanhCell} gives the numbers of its composition, {@code h.affine(W,
 * x.affine(U, b)).tanh()}: the value, and the gradient of every input whether or not the backward
 * pass is itself recorded.
 */
class RnnTanhCellTest {
  private final Random random = new Random(23);

  @Test
  void givesTheNumbersOfItsCompositionForASmallStep() {
    assertSameAsComposed(3, 4, 5);
  }

  @Test
  void givesTheNumbersOfItsCompositionForABatchOfThirtyTwo() {
    assertSameAsComposed(32, 65, 32);
  }

  @Test
  void givesTheNumbersOfItsCompositionForOneHotRows() {
    // The forward pass finds x's non-zeros once, for x U and for U's gradient xᵀ da.
    assertSameAsComposed(oneHot(32, 65), 32);
  }

  @Test
  void givesTheNumbersOfItsCompositionForSparseRowsOfSeveralNonZeros() {
    // Several non-zeros per row and per column: U's gradient adds them in the order the dense
    // transpose would.
    double[] values = new double[40 * 50];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextInt(10) == 0 ? random.nextGaussian() : 0.0;
    }
    assertSameAsComposed(Tensor.of(Shape.of(40, 50), values), 16);
  }

  @Test
  void givesTheNumbersOfItsCompositionForOneHotRowsAndAFewUnits() {
    // Too few columns for the sparse path: both forms multiply densely.
    assertSameAsComposed(oneHot(6, 9), 3);
  }

  @Test
  void aStepOfASequenceGivesTheNumbersOfItsSlice() {
    // One-hot rows take the sparse path, normal ones the dense one.
    for (Tensor xs : SequenceSteps.sequences(random)) {
      int batch = xs.shape().dim(0);
      int hidden = batch == 32 ? 32 : 9;
      List<Var> inputs = weightsFor(Var.constant(xs), batch, xs.shape().dim(2), hidden);
      Tensor seed = Tensor.randomNormal(Shape.of(batch, hidden), 0, 1, random);
      SequenceSteps.assertStepsGiveTheNumbersOfTheirSlices(
          FusedSteps::rnnTanhCell, FusedSteps::rnnTanhCell, inputs, seed);
    }
  }

  @Test
  void aStepOutsideTheSequenceIsNamed() {
    String message =
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    FusedSteps.rnnTanhCell(
                        Var.constant(Tensor.zeros(2, 3, 4)),
                        3,
                        Var.constant(Tensor.zeros(2, 5)),
                        Var.constant(Tensor.zeros(4, 5)),
                        Var.constant(Tensor.zeros(5, 5)),
                        Var.constant(Tensor.zeros(5))))
            .getMessage();

    assertEquals(
        "rnnTanhCell: step 3 of x [2, 3, 4]: expected a sequence [B, T, in] with T > 3", message);
  }

  @Test
  void aWeightOfTheWrongShapeIsNamedWithWhatTheStepNeeds() {
    Var x = Var.constant(Tensor.zeros(2, 3));
    Var h = Var.constant(Tensor.zeros(2, 4));
    Var u = Var.constant(Tensor.zeros(3, 4));
    Var b = Var.constant(Tensor.zeros(4));

    String message =
        assertThrows(
                IllegalArgumentException.class,
                () -> FusedSteps.rnnTanhCell(x, h, u, Var.constant(Tensor.zeros(4, 5)), b))
            .getMessage();

    assertEquals("rnnTanhCell: W has shape [4, 5] but x [2, 3] and h [2, 4] need [4, 4]", message);
  }

  @Test
  void aStateOfAnotherBatchIsNamed() {
    String message =
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    FusedSteps.rnnTanhCell(
                        Var.constant(Tensor.zeros(2, 3)),
                        Var.constant(Tensor.zeros(5, 4)),
                        Var.constant(Tensor.zeros(3, 4)),
                        Var.constant(Tensor.zeros(4, 4)),
                        Var.constant(Tensor.zeros(4))))
            .getMessage();

    assertEquals(
        "rnnTanhCell: x [2, 3] and h [5, 4] must be [B, in] and [B, H] for one batch B", message);
  }

  private Tensor oneHot(int batch, int features) {
    double[] values = new double[batch * features];
    for (int row = 0; row < batch; row++) {
      values[row * features + random.nextInt(features)] = 1.0;
    }
    return Tensor.of(Shape.of(batch, features), values);
  }

  private void assertSameAsComposed(int batch, int features, int hidden) {
    assertSameAsComposed(Tensor.randomNormal(Shape.of(batch, features), 0, 1, random), hidden);
  }

  /** {@code x} with a state and weights for a step of {@code hidden} units, drawn at random. */
  private List<Var> weightsFor(Var x, int batch, int features, int hidden) {
    return List.of(
        x,
        Var.constant(Tensor.randomNormal(Shape.of(batch, hidden), 0, 0.5, random)),
        Var.constant(Tensor.randomNormal(Shape.of(features, hidden), 0, 0.3, random)),
        Var.constant(Tensor.randomNormal(Shape.of(hidden, hidden), 0, 0.3, random)),
        Var.constant(Tensor.randomNormal(Shape.of(hidden), 0, 1, random)));
  }

  private void assertSameAsComposed(Tensor x, int hidden) {
    int batch = x.shape().dim(0);
    int features = x.shape().dim(1);
    List<Var> inputs = weightsFor(Var.constant(x), batch, features, hidden);
    Tensor seed = Tensor.randomNormal(Shape.of(batch, hidden), 0, 1, random);
    Function<List<Var>, Var> fused =
        in -> FusedSteps.rnnTanhCell(in.get(0), in.get(1), in.get(2), in.get(3), in.get(4));
    Function<List<Var>, Var> composed =
        in -> in.get(1).affine(in.get(3), in.get(0).affine(in.get(2), in.get(4))).tanh();

    BackwardPasses.assertSameNumbers(
        composed, fused, inputs, seed, "batch " + batch + ", hidden " + hidden);
  }
}
