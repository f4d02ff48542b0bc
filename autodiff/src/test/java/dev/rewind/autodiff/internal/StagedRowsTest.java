package dev.rewind.autodiff.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.util.Random;
import org.junit.jupiter.api.Test;

class StagedRowsTest {
  @Test
  void aStagedRowGetsTheNumbersOfTheLoopAndLeavesTheRestOfTheTargetAlone() {
    Random random = new Random(36);
    for (int length : new int[] {1, 7, 65, 512}) {
      double[] b = random.doubles(3 * length + 5).toArray();
      float[] bf = new float[b.length];
      for (int i = 0; i < b.length; i++) {
        bf[i] = (float) b[i];
      }
      double[] c = random.doubles(4 * length).toArray();
      float[] cf = new float[c.length];
      for (int i = 0; i < c.length; i++) {
        cf[i] = (float) c[i];
      }
      double[] expected = c.clone();
      float[] expectedF = cf.clone();
      for (int j = 0; j < length; j++) {
        expected[2 * length + j] += 0.3 * b[length + 5 + j];
        expected[length + j] += b[j];
        expectedF[2 * length + j] += 0.3f * bf[length + 5 + j];
        expectedF[length + j] += bf[j];
      }

      StagedRows.addScaled(0.3, b, length + 5, c, 2 * length, length);
      StagedRows.add(b, 0, c, length, length);
      StagedRows32.addScaled(0.3f, bf, length + 5, cf, 2 * length, length);
      StagedRows32.add(bf, 0, cf, length, length);

      assertArrayEquals(expected, c, "float64, rows of " + length);
      assertArrayEquals(expectedF, cf, "float32, rows of " + length);
    }
  }

  @Test
  void theStagingArrayIsApartFromTheSlots() {
    double[] slot = Scratch.zeros(0, 16);
    double[] other = Scratch.zeros(1, 16);
    double[] staging = Scratch.staging(16);
    assertNotSame(slot, staging);
    assertNotSame(other, staging);
  }
}
