package dev.rewind.autodiff.tape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rewind.autodiff.tensor.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Var#oneHot(int[][], int)}: a constant {@code [batch, time, classes]} encoding. */
class OneHotTest {

  @Test
  void shapeIsBatchByTimeByClasses() {
    Var encoded = Var.oneHot(new int[][] {{0, 1, 2}, {2, 2, 0}}, 4);

    assertEquals(Shape.of(2, 3, 4), encoded.shape());
  }

  @Test
  void eachRowHoldsExactlyOneOneAtItsIndex() {
    Random random = new Random(17);
    int classes = 5;
    int[][] indices = new int[3][4];
    for (int[] row : indices) {
      for (int t = 0; t < row.length; t++) {
        row[t] = random.nextInt(classes);
      }
    }

    Var encoded = Var.oneHot(indices, classes);

    for (int b = 0; b < indices.length; b++) {
      for (int t = 0; t < indices[b].length; t++) {
        double sum = 0;
        for (int c = 0; c < classes; c++) {
          double value = encoded.value().get(b, t, c);
          assertEquals(
              c == indices[b][t] ? 1.0 : 0.0, value, "at [" + b + ", " + t + ", " + c + "]");
          sum += value;
        }
        assertEquals(1.0, sum);
      }
    }
  }

  @Test
  void emptyBatchGivesAnEmptyTensor() {
    assertEquals(Shape.of(0, 0, 3), Var.oneHot(new int[0][], 3).shape());
  }

  @Test
  void indexOutOfRangeNamesTheIndexItsPositionAndTheRange() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Var.oneHot(new int[][] {{0, 1, 2, 3}, {4, 0, 1, 7}}, 5));

    assertEquals("oneHot: index 7 at [1, 3] is outside [0, 5)", e.getMessage());
  }

  @Test
  void negativeIndexIsRefusedNotTreatedAsPadding() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Var.oneHot(new int[][] {{0, -1}}, 3));

    assertEquals("oneHot: index -1 at [0, 1] is outside [0, 3)", e.getMessage());
  }

  @Test
  void raggedRowsAreRefusedNamingTheRowAndBothLengths() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Var.oneHot(new int[][] {{0, 1}, {1}}, 3));

    assertEquals(
        "oneHot: row 1 has 1 steps but row 0 has 2; indices must be a rectangular [batch][time]"
            + " array",
        e.getMessage());
  }

  @Test
  void classesBelowOneIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Var.oneHot(new int[][] {{0}}, 0));

    assertEquals("oneHot: classes is 0; it must be at least 1", e.getMessage());
  }
}
