package dev.rewind.autodiff.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
