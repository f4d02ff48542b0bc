package dev.rewind.layers.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** A loss given targets or a mask that do not fit says so, naming the loss and the sizes. */
class LossBadInputTest {
  private final Var rows = Var.constant(Tensor.zeros(4, 5));
  private final Var sequences = Var.constant(Tensor.zeros(2, 3, 5));

  @Test
  void aTargetClassOutOfRange() {
    assertEquals(
        "softmaxCrossEntropy: target 5 of row 2 is out of range for 5 classes (logits [4, 5])",
        message(() -> Losses.softmaxCrossEntropy(rows, new int[] {0, 1, 5, 2})));
    assertEquals(
        "softmaxCrossEntropy: target -1 of step [1, 0] is out of range for 5 classes"
            + " (logits [2, 3, 5])",
        message(() -> Losses.softmaxCrossEntropy(sequences, new int[][] {{0, 1, 2}, {-1, 0, 0}})));
  }

  @Test
  void targetsOfTheWrongNumber() {
    assertEquals(
        "softmaxCrossEntropy: logits [4, 5] have 4 rows but there are 3 targets",
        message(() -> Losses.softmaxCrossEntropy(rows, new int[] {0, 1, 2})));
    assertEquals(
        "softmaxCrossEntropy: logits [2, 3, 5] have a batch of 2 but there are 1 target sequences",
        message(() -> Losses.softmaxCrossEntropy(sequences, new int[][] {{0, 1, 2}})));
    assertEquals(
        "softmaxCrossEntropy: logits [2, 3, 5] have 3 steps but target sequence 1 has 2",
        message(() -> Losses.softmaxCrossEntropy(sequences, new int[][] {{0, 1, 2}, {0, 1}})));
  }

  @Test
  void logitsOfTheWrongRank() {
    assertEquals(
        "softmaxCrossEntropy: logits must be [N, classes] for an int[] of targets, but have shape"
            + " [2, 3, 5]",
        message(() -> Losses.softmaxCrossEntropy(sequences, new int[] {0, 1})));
    assertEquals(
        "softmaxCrossEntropy: logits must be [batch, time, classes] for an int[][] of targets,"
            + " but have shape [4, 5]",
        message(() -> Losses.softmaxCrossEntropy(rows, new int[][] {{0}})));
  }

  @Test
  void aMaskThatDoesNotFit() {
    assertEquals(
        "softmaxCrossEntropy: mask [3] does not fit the targets [4]",
        message(
            () ->
                Losses.softmaxCrossEntropy(
                    rows, new int[] {0, 1, 2, 3}, Reduction.SUM, Tensor.ones(3))));
    assertEquals(
        "softmaxCrossEntropy: mask [3, 2] does not fit the targets [2, 3]",
        message(
            () ->
                Losses.softmaxCrossEntropy(
                    sequences,
                    new int[][] {{0, 1, 2}, {0, 1, 2}},
                    Reduction.SUM,
                    Tensor.ones(3, 2))));
    assertEquals(
        "meanSquaredError: mask [2, 4] fits neither the predictions [2, 3, 5] nor their steps"
            + " [2, 3]",
        message(
            () ->
                Losses.meanSquaredError(sequences, sequences, Reduction.MEAN, Tensor.ones(2, 4))));
  }

  @Test
  void aMaskThatIsNotZerosAndOnes() {
    assertEquals(
        "binaryCrossEntropyWithLogits: mask must hold only 0 and 1, but holds 0.5",
        message(
            () ->
                Losses.binaryCrossEntropyWithLogits(
                    rows, Tensor.zeros(4, 5), Reduction.MEAN, Tensor.full(rows.shape(), 0.5))));
  }

  @Test
  void predictionsAndTargetsOfDifferentShapes() {
    assertEquals(
        "meanSquaredError: predictions [4, 5] and targets [2, 3, 5] have different shapes",
        message(() -> Losses.meanSquaredError(rows, sequences)));
    assertEquals(
        "binaryCrossEntropyWithLogits: logits [4, 5] and targets [5, 4] have different shapes",
        message(() -> Losses.binaryCrossEntropyWithLogits(rows, Tensor.zeros(5, 4))));
  }

  @Test
  void aBinaryTargetOutsideZeroOne() {
    assertEquals(
        "binaryCrossEntropyWithLogits: target 2.0 at flat position 1 is outside [0, 1]",
        message(
            () ->
                Losses.binaryCrossEntropyWithLogits(
                    Var.constant(Tensor.zeros(3)), Tensor.vector(0, 2, 1))));
  }

  private static String message(Supplier<?> action) {
    return assertThrows(
            IllegalArgumentException.class,
            () -> {
              Object unused = action.get();
            })
        .getMessage();
  }
}
