package dev.rewind.autodiff.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The row kernels the reductions and the fused log-softmax share. */
class RowsTest {

  @Test
  void theMaximumOfARowIsTheSequentialOneWithNaNsAndSignedZerosAnywhere() {
    double[] specials = {Double.NaN, -0.0, 0.0, Double.NEGATIVE_INFINITY, 1.5, -2.0};
    Random random = new Random(5);
    for (int length = 1; length <= 13; length++) {
      for (int trial = 0; trial < 200; trial++) {
        double[] row = new double[length + 2];
        for (int i = 0; i < row.length; i++) {
          row[i] = specials[random.nextInt(specials.length)];
        }
        double expected = row[1];
        for (int i = 2; i <= length; i++) {
          expected = Math.max(expected, row[i]);
        }
        String where = Arrays.toString(row);
        assertEquals(
            Double.doubleToRawLongBits(expected),
            Double.doubleToRawLongBits(Rows.maxOfRow(row, 1, length)),
            () -> "max of " + where + " from 1");
      }
    }
  }
}
