package dev.rewind.autodiff.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rewind.autodiff.tensor.Reductions;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.SoftmaxPair;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Picking one column per row, and placing values back, as the cross-entropy loss does. */
class ColumnsTest {
  private static final Tensor M = Tensor.matrix(new double[][] {{1, 2, 3}, {4, 5, 6}});

  @Test
  void pickTakesOneColumnPerRowAndPlacePutsItBack() {
    int[] columns = {2, 0};
    Tensor picked = Columns.pick(M, columns);

    assertEquals(Tensor.vector(3, 4), picked);
    assertEquals(
        Tensor.matrix(new double[][] {{0, 0, 3}, {4, 0, 0}}), Columns.place(picked, columns, 3));
  }

  @Test
  void columnOutOfRangeNamesRowColumnAndShape() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Columns.pick(M, new int[] {0, 3}));

    assertEquals("pick: column 3 of row 1 is out of range [0, 3) for [2, 3]", e.getMessage());
  }

  @Test
  void oneColumnPerRowIsRequired() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Columns.pick(M, new int[] {0}));

    assertEquals(
        "pick: 1 columns for a matrix [2, 3]: expected one per row of a [N, C] matrix",
        e.getMessage());
  }

  @Test
  void pickLogSoftmaxGivesTheNumbersOfLogSoftmaxThenPickToTheBit() {
    Random random = new Random(7);
    Tensor logits = Tensor.randomNormal(Shape.of(37, 65), 0.0, 3.0, random);
    int[] columns = new int[37];
    Arrays.setAll(columns, n -> random.nextInt(65));
    SoftmaxPair unfused = Reductions.logSoftmaxWithSoftmax(logits, 1);

    PickedLogSoftmax fused = Columns.pickLogSoftmax(logits, columns);

    assertArrayEquals(
        Columns.pick(unfused.logProbabilities(), columns).toArray(), fused.picked().toArray());
    assertArrayEquals(unfused.probabilities().toArray(), fused.probabilities().toArray());
    Tensor g = Tensor.randomNormal(Shape.of(37), 0.0, 1.0, random);
    assertArrayEquals(
        BackwardKernels.logSoftmax(Columns.place(g, columns, 65), unfused.probabilities(), 1)
            .toArray(),
        Columns.pickLogSoftmaxBackward(g, fused.probabilities(), columns).toArray());
  }
}
