package dev.rewind.autodiff.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast exponential, tanh and sigmoid against {@link StrictMath}, on every branch and at their
 * boundaries; the whole-array forms against the scalar ones, to the bit.
 */
class ElementaryFunctionsTest {
  private static final double RELATIVE = 5e-16;

  @Test
  void tanhIsWithinTwoUlpsOfStrictMathOnEveryBranch() {
    Random random = new Random(2026);
    for (int i = 0; i < 400_000; i++) {
      double x =
          switch (i % 5) {
            case 0 -> random.nextDouble() * 0.55; // the rational approximation
            case 1 -> 0.5493061443340548 + (random.nextDouble() - 0.5) * 1e-6; // its boundary
            case 2 -> random.nextGaussian() * 3; // 1 − 2 / (e^{2f} + 1)
            case 3 -> random.nextDouble() * 1e-7; // tiny: tanh x ≈ x
            default -> (random.nextDouble() - 0.5) * 60; // up to saturation and beyond
          };
      assertClose(x);
      assertClose(-x);
    }
  }

  @Test
  void tanhKeepsSignsSaturationAndNaN() {
    assertEquals(-0.0, ElementaryFunctions.tanh(-0.0));
    assertEquals(0.0, ElementaryFunctions.tanh(0.0));
    assertEquals(Double.MIN_VALUE, ElementaryFunctions.tanh(Double.MIN_VALUE));
    assertEquals(1.0, ElementaryFunctions.tanh(22.5));
    assertEquals(-1.0, ElementaryFunctions.tanh(Double.NEGATIVE_INFINITY));
    assertEquals(1.0, ElementaryFunctions.tanh(Double.POSITIVE_INFINITY));
    assertTrue(Double.isNaN(ElementaryFunctions.tanh(Double.NaN)));
  }

  private static void assertClose(double x) {
    double expected = StrictMath.tanh(x);
    double actual = ElementaryFunctions.tanh(x);
    double error = Math.abs(actual - expected);
    assertTrue(
        error <= RELATIVE * Math.abs(expected),
        () -> "tanh(" + x + ") = " + actual + ", StrictMath gives " + expected);
  }

  @Test
  void expIsWithinOneUlpOfStrictMathFromUnderflowToOverflow() {
    Random random = new Random(7);
    for (int i = 0; i < 400_000; i++) {
      double x =
          switch (i % 4) {
            case 0 -> (random.nextDouble() - 0.5) * 1500; // both ends: 0, subnormals, ∞
            case 1 -> random.nextGaussian() * 5; // softmax and gate arguments
            case 2 -> (random.nextDouble() - 0.5) * 1e-6; // near 0
            default -> 708.0 + random.nextDouble() * 2; // where Math.exp takes over
          };
      double expected = StrictMath.exp(x);
      double actual = ElementaryFunctions.exp(x);
      if (Double.isInfinite(expected) || expected == 0) {
        assertEquals(expected, actual, () -> "exp(" + x + ")");
      } else {
        assertTrue(
            Math.abs(actual - expected) <= Math.ulp(expected),
            () -> "exp(" + x + ") = " + actual + ", StrictMath gives " + expected);
      }
    }
    assertEquals(1.0, ElementaryFunctions.exp(0.0));
    assertEquals(1.0, ElementaryFunctions.exp(-0.0));
    assertEquals(0.0, ElementaryFunctions.exp(Double.NEGATIVE_INFINITY));
    assertEquals(Double.POSITIVE_INFINITY, ElementaryFunctions.exp(Double.POSITIVE_INFINITY));
    assertTrue(Double.isNaN(ElementaryFunctions.exp(Double.NaN)));
  }

  @Test
  void sigmoidIsWithinTwoUlpsOfStrictMathOnBothSides() {
    Random random = new Random(11);
    for (int i = 0; i < 200_000; i++) {
      double x = random.nextGaussian() * 8;
      double e = StrictMath.exp(-Math.abs(x));
      double expected = (x >= 0 ? 1 : e) / (1 + e);
      double actual = ElementaryFunctions.sigmoid(x);
      assertTrue(
          Math.abs(actual - expected) <= 2 * Math.ulp(expected) + 1e-300,
          () -> "sigmoid(" + x + ") = " + actual + ", expected " + expected);
    }
    assertEquals(0.0, ElementaryFunctions.sigmoid(Double.NEGATIVE_INFINITY));
    assertEquals(1.0, ElementaryFunctions.sigmoid(Double.POSITIVE_INFINITY));
    assertTrue(Double.isNaN(ElementaryFunctions.sigmoid(Double.NaN)));
  }

  @Test
  void sigmoidTakesItsNumeratorBySignExactly() {
    Random random = new Random(12);
    double[] x = new double[20_000];
    for (int i = 0; i < x.length; i++) {
      x[i] = i < SPECIAL.length ? SPECIAL[i] : random.nextGaussian() * 10;
    }
    double[] edges = {Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, -Double.MIN_NORMAL};
    System.arraycopy(edges, 0, x, SPECIAL.length, edges.length);
    double[] actual = new double[x.length];
    ElementaryFunctions.sigmoid(x, actual, 0, x.length);
    for (int i = 0; i < x.length; i++) {
      double e = ElementaryFunctions.exp(-Math.abs(x[i]));
      double bySign = (x[i] >= 0 ? 1.0 : e) / (1.0 + e);
      int at = i;
      assertEquals(
          Double.doubleToRawLongBits(bySign),
          Double.doubleToRawLongBits(actual[i]),
          () -> "sigmoid(" + x[at] + ")");
    }
  }

  @Test
  void wholeArraysGiveTheScalarNumbersToTheBit() {
    Random random = new Random(13);
    double[] x = new double[10_007];
    for (int i = 0; i < x.length; i++) {
      x[i] = i % 97 == 0 ? SPECIAL[i / 97 % SPECIAL.length] : random.nextGaussian() * 6;
    }
    // Where tanh's array form changes from its rational form to its exponential one, and where it
    // clamps: both sides of each, either sign.
    double[] edges = {
      TANH_RATIONAL_LIMIT,
      Math.nextUp(TANH_RATIONAL_LIMIT),
      Math.nextDown(TANH_RATIONAL_LIMIT),
      22.0,
      Math.nextUp(22.0),
      Math.nextDown(22.0),
      1e300,
      Double.MIN_VALUE,
      Double.MIN_NORMAL
    };
    for (int e = 0; e < edges.length; e++) {
      x[1 + 2 * e] = edges[e];
      x[2 + 2 * e] = -edges[e];
    }
    double[] exp = new double[x.length];
    double[] tanh = new double[x.length];
    double[] sigmoid = new double[x.length];
    double[] shifted = new double[x.length];
    ElementaryFunctions.exp(x, 0.0, exp, 0, x.length);
    ElementaryFunctions.exp(x, 1.75, shifted, 0, x.length);
    ElementaryFunctions.tanh(x, tanh, 0, x.length);
    ElementaryFunctions.sigmoid(x, sigmoid, 0, x.length);
    for (int i = 0; i < x.length; i++) {
      int at = i;
      assertEquals(ElementaryFunctions.exp(x[i]), exp[i], () -> "exp(" + x[at] + ")");
      assertEquals(
          ElementaryFunctions.exp(x[i] - 1.75), shifted[i], () -> "exp(" + x[at] + " − 1.75)");
      assertEquals(ElementaryFunctions.tanh(x[i]), tanh[i], () -> "tanh(" + x[at] + ")");
      assertEquals(ElementaryFunctions.sigmoid(x[i]), sigmoid[i], () -> "sigmoid(" + x[at] + ")");
    }
  }

  @Test
  void tanhOfARangeBelowLnThreeOverTwoGivesTheScalarNumbers() {
    Random random = new Random(19);
    double[] x = new double[203];
    for (int i = 0; i < x.length; i++) {
      x[i] = (random.nextDouble() * 2 - 1) * TANH_RATIONAL_LIMIT;
    }
    double[] edges = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, TANH_RATIONAL_LIMIT};
    System.arraycopy(edges, 0, x, 5, edges.length);
    // [3, 201) lies below ln(3)/2; the ranges that end at 202 and 203 take in an element above.
    x[200] = -TANH_RATIONAL_LIMIT;
    x[201] = Math.nextUp(TANH_RATIONAL_LIMIT);
    x[202] = 0.25;
    for (int to : new int[] {201, 202, 203}) {
      double[] tanh = new double[x.length];
      ElementaryFunctions.tanh(x, tanh, 3, to);
      for (int i = 3; i < to; i++) {
        int at = i;
        assertEquals(ElementaryFunctions.tanh(x[i]), tanh[i], () -> "tanh(" + x[at] + ")");
      }
      assertEquals(0.0, tanh[2]);
    }
  }

  @Test
  void expAndSumAddsTheExponentialsInOrder() {
    Random random = new Random(17);
    double[] x = new double[1_003];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextGaussian() * 3;
    }
    double[] exp = new double[x.length];
    double[] out = new double[x.length];
    ElementaryFunctions.exp(x, 2.5, exp, 0, x.length);
    // A range that starts and ends inside the array, so that an index slip shows.
    double total = ElementaryFunctions.expAndSum(x, 2.5, out, 3, 998);
    double expected = 0;
    for (int i = 3; i < 998; i++) {
      expected += exp[i];
    }
    assertEquals(expected, total);
    for (int i = 0; i < x.length; i++) {
      assertEquals(i >= 3 && i < 998 ? exp[i] : 0.0, out[i], "element " + i);
    }
  }

  @Test
  void float32ExpIsTheNearestFloatOrItsNeighbourAndTheArrayFormGivesTheScalarBits() {
    Random random = new Random(32);
    float[] x = new float[200_000];
    for (int i = 0; i < x.length; i++) {
      x[i] =
          switch (i % 4) {
            case 0 -> (float) (random.nextDouble() * 2 - 1); // around 1
            case 1 -> (float) (random.nextGaussian() * 20); // the softmax's usual range
            case 2 -> (float) (random.nextDouble() * 188 - 104); // float's range, subnormals too
            default -> (float) (random.nextDouble() * 1e-6); // tiny
          };
    }
    float[] out = new float[x.length];
    ElementaryFunctions32.exp(x, 0f, out, 0, x.length);

    // Within 2^-36 of e^x before rounding: a float lands on the other side of halfway about once
    // in 4,096 draws, not more.
    assertNearestFloatOrItsNeighbour(
        "exp", x, out, ElementaryFunctions32::exp, v -> (float) StrictMath.exp(v));
    assertEquals(Float.POSITIVE_INFINITY, ElementaryFunctions32.exp(89f));
    assertEquals(0f, ElementaryFunctions32.exp(-104f));
    assertTrue(Float.isNaN(ElementaryFunctions32.exp(Float.NaN)));
  }

  @Test
  void float32SigmoidIsTheNearestFloatOrItsNeighbourAndTheArrayFormGivesTheScalarBits() {
    Random random = new Random(33);
    float[] x = new float[200_000];
    for (int i = 0; i < x.length; i++) {
      x[i] =
          switch (i % 4) {
            case 0 -> (float) (random.nextGaussian() * 4); // a gate's usual range
            case 1 -> (float) (random.nextDouble() * 240 - 120); // past float's smallest values
            case 2 -> (float) (random.nextDouble() * 1000 - 500); // saturated either way
            default -> (float) (random.nextDouble() * 1e-6 - 5e-7); // tiny, either sign
          };
    }
    float[] out = new float[x.length];
    ElementaryFunctions32.sigmoid(x, out, 0, x.length);

    assertNearestFloatOrItsNeighbour(
        "sigmoid", x, out, ElementaryFunctions32::sigmoid, ElementaryFunctionsTest::strictSigmoid);
    // e^-100 is a subnormal float: kept, not flushed to zero.
    assertEquals(strictSigmoid(-100f), ElementaryFunctions32.sigmoid(-100f));
    assertTrue(ElementaryFunctions32.sigmoid(-100f) > 0f);
    assertEquals(0f, ElementaryFunctions32.sigmoid(-300f));
    assertEquals(0f, ElementaryFunctions32.sigmoid(Float.NEGATIVE_INFINITY));
    assertEquals(1f, ElementaryFunctions32.sigmoid(Float.POSITIVE_INFINITY));
    assertEquals(0.5f, ElementaryFunctions32.sigmoid(-0f));
    assertTrue(Float.isNaN(ElementaryFunctions32.sigmoid(Float.NaN)));
  }

  @Test
  void float32TanhIsTheNearestFloatOrItsNeighbourAndTheArrayFormGivesTheScalarBits() {
    Random random = new Random(34);
    float[] x = new float[200_000];
    for (int i = 0; i < x.length; i++) {
      x[i] =
          switch (i % 4) {
            case 0 -> (float) (random.nextGaussian() * 2); // a cell's usual range
            case 1 -> (float) (random.nextDouble() * 1.2 - 0.6); // either side of ln(3)/2
            case 2 -> (float) (random.nextDouble() * 200 - 100); // saturated either way
            default -> (float) (random.nextDouble() * 1e-6 - 5e-7); // tiny, either sign
          };
    }
    float[] out = new float[x.length];
    ElementaryFunctions32.tanh(x, out, 0, x.length);

    assertNearestFloatOrItsNeighbour(
        "tanh", x, out, ElementaryFunctions32::tanh, v -> (float) StrictMath.tanh(v));
    assertEquals(-0f, ElementaryFunctions32.tanh(-0f));
    assertEquals(Float.MIN_VALUE, ElementaryFunctions32.tanh(Float.MIN_VALUE));
    assertEquals(1f, ElementaryFunctions32.tanh(10f));
    assertEquals(-1f, ElementaryFunctions32.tanh(Float.NEGATIVE_INFINITY));
    assertEquals(1f, ElementaryFunctions32.tanh(Float.POSITIVE_INFINITY));
    assertTrue(Float.isNaN(ElementaryFunctions32.tanh(Float.NaN)));
  }

  @Test
  void aBlockOfEachRowGetsTheNumbersOfItsRangeAndNothingElseIsWritten() {
    // Rows of a gate kernel's chunk: 5 rows of 4 blocks of 7, the blocks from 7 and from 14 taken.
    int rows = 5;
    int stride = 28;
    Random random = new Random(35);
    double[] x = new double[rows * stride];
    float[] xf = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextGaussian() * 3;
      xf[i] = (float) x[i];
    }
    for (boolean sigmoid : new boolean[] {true, false}) {
      double[] blocks = new double[x.length];
      double[] ranges = new double[x.length];
      float[] blocksF = new float[x.length];
      float[] rangesF = new float[x.length];
      Arrays.fill(blocks, -7.0);
      Arrays.fill(ranges, -7.0);
      Arrays.fill(blocksF, -7f);
      Arrays.fill(rangesF, -7f);
      if (sigmoid) {
        ElementaryFunctions.sigmoid(x, blocks, 1, 4, stride, 7, 14);
        ElementaryFunctions32.sigmoid(xf, blocksF, 1, 4, stride, 7, 14);
      } else {
        ElementaryFunctions.tanh(x, blocks, 1, 4, stride, 7, 14);
        ElementaryFunctions32.tanh(xf, blocksF, 1, 4, stride, 7, 14);
      }
      for (int r = 1; r < 4; r++) {
        int from = r * stride + 7;
        if (sigmoid) {
          ElementaryFunctions.sigmoid(x, ranges, from, from + 14);
          ElementaryFunctions32.sigmoid(xf, rangesF, from, from + 14);
        } else {
          ElementaryFunctions.tanh(x, ranges, from, from + 14);
          ElementaryFunctions32.tanh(xf, rangesF, from, from + 14);
        }
      }
      for (int i = 0; i < x.length; i++) {
        int at = i;
        assertEquals(
            ranges[i], blocks[i], () -> (sigmoid ? "sigmoid" : "tanh") + ", element " + at);
        assertEquals(
            rangesF[i], blocksF[i], () -> (sigmoid ? "sigmoid" : "tanh") + ", float " + at);
      }
      assertEquals(-7.0, blocks[stride + 6]);
      assertEquals(-7f, blocksF[stride + 21]);
      assertTrue(blocksF[stride + 7] != -7f);
    }
  }

  /** A function of a float, in float. */
  private interface FloatFunction {
    float at(float x);
  }

  /**
   * Each of {@code out}, the array form's results for {@code x}, is {@code nearest}'s float or its
   * neighbour, and is the scalar form's bits; at least 99.9% are the nearest.
   */
  private static void assertNearestFloatOrItsNeighbour(
      String name, float[] x, float[] out, FloatFunction scalar, FloatFunction nearest) {
    int nearestCount = 0;
    for (int i = 0; i < x.length; i++) {
      float strict = nearest.at(x[i]);
      assertTrue(
          Math.abs(out[i] - strict) <= Math.ulp(strict),
          name + "(" + x[i] + ") = " + out[i] + ", nearest float " + strict);
      nearestCount += out[i] == strict ? 1 : 0;
      assertEquals(
          Float.floatToRawIntBits(scalar.at(x[i])),
          Float.floatToRawIntBits(out[i]),
          name + ", element " + i);
    }
    assertTrue(
        nearestCount >= x.length - x.length / 1000,
        name + ": " + nearestCount + " of " + x.length + " nearest");
  }

  /**
   * The sigmoid rounded to the nearest float, from {@link StrictMath#exp} on the side that does not
   * overflow.
   */
  private static float strictSigmoid(float x) {
    double e = StrictMath.exp(-Math.abs((double) x));
    return (float) (x >= 0 ? 1 / (1 + e) : e / (1 + e));
  }

  /** ln(3) / 2, where tanh changes form. */
  private static final double TANH_RATIONAL_LIMIT = 0.54930614433405484570;

  private static final double[] SPECIAL = {
    0.0,
    -0.0,
    Double.NaN,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY,
    709.5,
    -720.0,
    -746.0,
    0.5493061443340548,
    22.5,
    1e-300
  };
}
