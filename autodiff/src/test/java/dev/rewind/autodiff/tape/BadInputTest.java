package dev.rewind.autodiff.tape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.ops.elementwise.Add;
import dev.rewind.autodiff.ops.rnn.FusedSteps;
import dev.rewind.autodiff.ops.rnn.LstmGates;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Inputs that do not fit an op are rejected when the op is applied, before anything is recorded,
 * with an {@link IllegalArgumentException} whose message names the op and the shapes involved.
 */
class BadInputTest {

  @ParameterizedTest
  @ValueSource(strings = {"add", "sub", "mul", "div", "maximum", "minimum"})
  void binaryOpOfShapesThatDoNotBroadcastNamesTheOpAndBothShapes(String op) {
    Var a = ones(2, 3);
    Var b = ones(4);

    String message = rejectedWhenApplied(() -> binary(op, a, b));

    assertEquals(
        op + ": [2, 3] and [4] do not broadcast: dimensions 3 and 4 differ and neither is 1",
        message);
  }

  @Test
  void matmulOfMismatchedInnerDimensionsNamesBothShapesAndDimensions() {
    String message = rejectedWhenApplied(() -> ones(3, 4).matmul(ones(5, 6)));

    assertTrue(message.contains("matmul"), message);
    assertTrue(message.contains("[3, 4]"), message);
    assertTrue(message.contains("[5, 6]"), message);
    assertTrue(message.contains("4 and 5"), message);
    assertEquals("matmul: [3, 4] x [5, 6]: inner dimensions 4 and 5 differ", message);
  }

  @Test
  void batchedMatmulOfDifferentBatchSizesNamesBothShapes() {
    String message = rejectedWhenApplied(() -> ones(2, 3, 4).matmul(ones(3, 4, 5)));

    assertEquals("matmul: [2, 3, 4] x [3, 4, 5]: batch sizes 2 and 3 differ", message);
  }

  @Test
  void matmulOfAVectorNamesTheShapesItAccepts() {
    String message = rejectedWhenApplied(() -> ones(3).matmul(ones(3, 2)));

    assertTrue(message.startsWith("matmul: [3] x [3, 2]: expected [n, k] x [k, m]"), message);
  }

  @Test
  void matmulOfAMatrixByABatchIsRejected() {
    String message = rejectedWhenApplied(() -> ones(3, 4).matmul(ones(2, 4, 5)));

    assertTrue(message.startsWith("matmul: [3, 4] x [2, 4, 5]: expected"), message);
  }

  @Test
  void concatOfShapesDifferingOffItsAxisNamesBothShapes() {
    String message = rejectedWhenApplied(() -> Var.concat(1, ones(2, 3), ones(3, 2)));

    assertEquals(
        "concat: along axis 1, input 1 has shape [3, 2] but input 0 has [2, 3]; only axis 1 may"
            + " differ",
        message);
  }

  @Test
  void concatOfDifferentRanksNamesBothShapes() {
    String message = rejectedWhenApplied(() -> Var.concat(0, ones(2, 3), ones(3)));

    assertTrue(message.startsWith("concat:"), message);
    assertTrue(message.contains("[3]") && message.contains("[2, 3]"), message);
  }

  @Test
  void concatAlongAMissingAxisNamesTheAxisAndShape() {
    String message = rejectedWhenApplied(() -> Var.concat(2, ones(2, 3), ones(2, 3)));

    assertEquals("concat: axis 2 is out of range for shape [2, 3]", message);
  }

  @Test
  void reshapeToAnotherSizeNamesBothShapesAndSizes() {
    String message = rejectedWhenApplied(() -> ones(2, 3).reshape(4));

    assertEquals("reshape: [2, 3] to [4]: sizes 6 and 4 differ", message);
  }

  @Test
  void gatherOfAnIndexOutOfRangeNamesTheIndexAndTheRange() {
    String message = rejectedWhenApplied(() -> ones(3, 2).gather(0, 3));

    assertEquals("gather: index 3 at position 1 is out of range [0, 3) for table [3, 2]", message);
  }

  @Test
  void gatherOfANegativeIndexIsRejected() {
    String message = rejectedWhenApplied(() -> ones(3, 2).gather(-1));

    assertTrue(message.startsWith("gather: index -1 at position 0 is out of range"), message);
  }

  @Test
  void gatherFromAScalarIsRejected() {
    String message = rejectedWhenApplied(() -> Var.scalar(1).gather(0));

    assertEquals("gather: the table must have rows, but has shape []", message);
  }

  @Test
  void scatterAddOfAnIndexOutOfRangeNamesTheIndexAndTheRange() {
    String message = rejectedWhenApplied(() -> ones(2, 3).scatterAdd(new int[] {0, 4}, 4));

    assertEquals("scatterAdd: index 4 at position 1 is out of range [0, 4)", message);
  }

  @Test
  void scatterAddOfMoreRowsThanIndicesIsRejected() {
    String message = rejectedWhenApplied(() -> ones(3, 2).scatterAdd(new int[] {0, 1}, 4));

    assertEquals("scatterAdd: [3, 2] rows for 2 indices", message);
  }

  @Test
  void sliceBeyondTheEndNamesTheRangeAndShape() {
    String message = rejectedWhenApplied(() -> ones(2, 3).slice(1, 1, 5));

    assertEquals("slice: [1, 5) along axis 1 is out of range for shape [2, 3]", message);
  }

  @Test
  void sliceWithStartAfterEndIsRejected() {
    String message = rejectedWhenApplied(() -> ones(2, 3).slice(1, 2, 1));

    assertEquals("slice: [2, 1) along axis 1 is out of range for shape [2, 3]", message);
  }

  @Test
  void selectOfAnIndexOutOfRangeIsRejected() {
    String message = rejectedWhenApplied(() -> ones(2, 3).select(0, 2));

    assertTrue(message.startsWith("slice: [2, 3) along axis 0"), message);
  }

  @Test
  void sumOverAMissingAxisNamesTheAxisAndShape() {
    String message = rejectedWhenApplied(() -> ones(2, 3).sum(2, false));

    assertEquals("sum: axis 2 is out of range for shape [2, 3]", message);
  }

  @Test
  void meanOverAMissingAxisNamesTheAxisAndShape() {
    String message = rejectedWhenApplied(() -> ones(2, 3).mean(-3, true));

    assertEquals("mean: axis -3 is out of range for shape [2, 3]", message);
  }

  @Test
  void whereWithAConditionThatDoesNotBroadcastNamesTheShapes() {
    Tensor condition = Tensor.ones(3, 2);

    String message = rejectedWhenApplied(() -> Var.where(condition, ones(2, 3), ones(2, 3)));

    assertEquals(
        "where: [3, 2] and [2, 3] do not broadcast: dimensions 2 and 3 differ and neither is 1",
        message);
  }

  @Test
  void whereWithAConditionLargerThanItsOperandsNamesAllThreeShapes() {
    Tensor condition = Tensor.ones(2, 3);

    String message = rejectedWhenApplied(() -> Var.where(condition, ones(3), ones(1)));

    assertEquals("where: condition [2, 3] would enlarge the operands [3] and [1]", message);
  }

  @Test
  void whereWithOperandsThatDoNotBroadcastNamesBothShapes() {
    Tensor condition = Tensor.ones(2);

    String message = rejectedWhenApplied(() -> Var.where(condition, ones(2), ones(3)));

    assertEquals(
        "where: [2] and [3] do not broadcast: dimensions 2 and 3 differ and neither is 1", message);
  }

  @Test
  void maskedSelectWithAMaskOfAnotherShapeNamesBothShapes() {
    Tensor mask = Tensor.ones(2, 2);

    String message = rejectedWhenApplied(() -> ones(2, 3).maskedSelect(mask));

    assertEquals("maskedSelect: mask [2, 2] and input [2, 3] differ in shape", message);
  }

  @Test
  void maskedScatterOfTooFewValuesNamesTheCountAndMask() {
    Tensor mask = Tensor.of(Shape.of(2, 2), 1, 0, 1, 1);

    String message = rejectedWhenApplied(() -> ones(2).maskedScatter(mask));

    assertEquals(
        "maskedScatter: input [2] does not fit the 3 non-zero positions of mask [2, 2]", message);
  }

  @Test
  void clampWithMinAboveMaxNamesBothBounds() {
    String message = rejectedWhenApplied(() -> ones(2).clamp(2, 1));

    assertEquals("clamp: min 2.0 is above max 1.0", message);
  }

  @Test
  void softmaxOverAMissingAxisNamesTheAxisAndShape() {
    String message = rejectedWhenApplied(() -> ones(2, 3).softmax(2));

    assertEquals("softmax: axis 2 is out of range for shape [2, 3]", message);
  }

  @Test
  void logSoftmaxOverAMissingAxisNamesTheAxisAndShape() {
    String message = rejectedWhenApplied(() -> ones(2, 3).logSoftmax(-3));

    assertEquals("logSoftmax: axis -3 is out of range for shape [2, 3]", message);
  }

  @Test
  void stackOfUnequalShapesNamesBothShapes() {
    String message = rejectedWhenApplied(() -> Var.stack(0, List.of(ones(2), ones(3))));

    assertEquals("stack: input 1 has shape [3] but input 0 has [2]", message);
  }

  @Test
  void stackOfNothingIsRejected() {
    String message = rejectedWhenApplied(() -> Var.stack(0, List.of()));

    assertEquals("stack: needs at least one input", message);
  }

  @Test
  void stackAlongAnAxisBeyondTheNewRankIsRejected() {
    String message = rejectedWhenApplied(() -> Var.stack(2, List.of(ones(2), ones(2))));

    assertEquals("stack: axis 2 is out of range for [2]", message);
  }

  @Test
  void splitIntoSizesThatDoNotAddUpNamesTheTotalAndTheLength() {
    String message = rejectedWhenApplied(() -> ones(2, 4).split(1, 2, 3).get(0));

    assertEquals("split: sizes adding up to 5 for axis 1 of length 4 in [2, 4]", message);
  }

  @Test
  void transposeOfAMissingAxisNamesTheAxisAndShape() {
    String message = rejectedWhenApplied(() -> ones(2, 3).transpose(0, 2));

    assertEquals("transpose: axis 2 is out of range for shape [2, 3]", message);
  }

  @Test
  void broadcastToAnIncompatibleShapeNamesBothShapes() {
    String message = rejectedWhenApplied(() -> ones(2).broadcastTo(Shape.of(2, 3)));

    assertEquals("broadcastTo: [2] does not broadcast to [2, 3]", message);
  }

  @Test
  void sumToAShapeThatDoesNotBroadcastNamesBothShapes() {
    String message = rejectedWhenApplied(() -> ones(2, 3).sumTo(Shape.of(2)));

    assertEquals("sumTo: [2, 3] cannot be summed to [2], which does not broadcast to it", message);
  }

  @Test
  void padOfANegativeWidthIsRejected() {
    String message = rejectedWhenApplied(() -> ones(2).pad(0, -1, 0));

    assertEquals("pad: widths -1 and 0 must not be negative", message);
  }

  @Test
  void affineWithABiasOfTheWrongWidthNamesAllThreeShapes() {
    String message = rejectedWhenApplied(() -> ones(2, 3).affine(ones(3, 4), ones(3)));

    assertEquals(
        "affine: x [2, 3], w [3, 4], b [3]: b must be [4], one per column of w, or [2, 4], one per"
            + " element of x w",
        message);
  }

  @Test
  void lstmGatesOfMismatchedShapesNamesTheOpAndBothShapes() {
    String message = rejectedWhenApplied(() -> FusedSteps.lstmGates(ones(3, 8), ones(3, 3)).get(0));

    assertEquals("lstmGates: a [3, 8] and c [3, 3]: a must be [B, 4H] for c [B, H]", message);
  }

  @Test
  void gruGatesOfMismatchedShapesNamesTheOpAndEveryShape() {
    String message =
        rejectedWhenApplied(() -> FusedSteps.gruGates(ones(2, 6), ones(2, 9), ones(2, 3)));

    assertEquals(
        "gruGates: ax [2, 6], ah [2, 9] and h [2, 3]: ax and ah must be [B, 3H] for h [B, H]",
        message);
  }

  @Test
  void gruGatesOfAStepBeyondTheSequenceNamesTheStepAndTheShape() {
    String message =
        rejectedWhenApplied(
            () ->
                FusedSteps.gruGates(Var.constant(Tensor.ones(2, 3, 6)), 3, ones(2, 6), ones(2, 2)));

    assertEquals(
        "gruGates: step 3 of axs [2, 3, 6]: expected a sequence [B, T, 3H] with T > 3", message);
  }

  @Test
  void anOpWithSeveralOutputsAppliedAsOneIsRejectedNamingIt() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> new LstmGates().apply(ones(1, 4), ones(1, 1)));

    assertEquals("lstmGates: an op with several outputs is applied with applyAll", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(doubles = {1.5, -0.1, Double.NaN})
  void dropoutProbabilityOutsideTheUnitIntervalIsRejectedInTrainingAndEvaluation(double p) {
    String inTraining = rejectedWhenApplied(() -> ones(2, 3).dropout(p, true, new Random(1)));
    String inEvaluation = rejectedWhenApplied(() -> ones(2, 3).dropout(p, false, new Random(1)));

    assertEquals("dropout: p = " + p + " must be in [0, 1]", inTraining);
    assertEquals(inTraining, inEvaluation);
  }

  @Test
  void dropoutMaskThatWouldEnlargeTheInputNamesBothShapes() {
    String message = rejectedWhenApplied(() -> ones(2, 3).dropout(Tensor.ones(2, 2, 3)));

    assertEquals("dropout: mask [2, 2, 3] does not broadcast to the input [2, 3]", message);
  }

  @Test
  void opGivenTheWrongNumberOfInputsNamesTheOpAndTheShapes() {
    String message = rejectedWhenApplied(() -> new Add().apply(ones(2)));

    assertEquals("add: takes 2 inputs but was given 1: [[2]]", message);
  }

  @Test
  void opInstanceAppliedTwiceIsRejected() {
    Add add = new Add();
    Var unused = add.apply(ones(2), ones(2));

    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> add.apply(ones(2), ones(2)));

    assertEquals("add: an op instance is applied once", e.getMessage());
  }

  @Test
  void failedOpLeavesTheTapeUsable() {
    Var x = ones(2);

    try (Tape tape = Tape.record()) {
      Var y = x.square().sum();
      assertThrows(IllegalArgumentException.class, () -> x.matmul(x));

      assertEquals(Tensor.vector(2, 2), tape.gradient(y, x).tensor(x));
      assertEquals(2, tape.size());
    }
  }

  /**
   * Applies an op on an open tape, expects it to be rejected there, checks that nothing was
   * recorded, and returns the message.
   */
  private static String rejectedWhenApplied(Supplier<Var> application) {
    try (Tape tape = Tape.record()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, application::get);
      assertEquals(0, tape.size(), "ops recorded before the rejection");
      return e.getMessage();
    }
  }

  private static Var binary(String op, Var a, Var b) {
    return switch (op) {
      case "add" -> a.add(b);
      case "sub" -> a.sub(b);
      case "mul" -> a.mul(b);
      case "div" -> a.div(b);
      case "maximum" -> a.maximum(b);
      case "minimum" -> a.minimum(b);
      default -> throw new IllegalArgumentException(op);
    };
  }

  private static Var ones(int... dims) {
    return Var.constant(Tensor.ones(dims));
  }
}
