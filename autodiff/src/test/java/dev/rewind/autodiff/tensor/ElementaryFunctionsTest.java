package dev.rewind.autodiff.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast tanh against {@link StrictMath#tanh}, on every branch and at their boundaries. */
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
}
