package dev.rewind.optim.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.optim.ParameterGradients;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The PyTorch clippers on random gradients: one to four parameters of rank 0 to 2 (some empty),
 * elements from 1e-8 to 1e9 in size and exact zeros, so that no square overflows or underflows.
 */
class TorchClippingProperties {
  /**
   * Rounding allowed against the exact norm: a sum of at most 100 squares, a reciprocal, a product.
   */
  private static final double ROUNDING = 1e-12;

  @Provide
  Arbitrary<ParameterGradients> gradients() {
    return RandomGradients.of(finite(), 2, 5);
  }

  /** Finite elements, with ±∞ and NaN among them now and then. */
  @Provide
  Arbitrary<ParameterGradients> gradientsWithNonFinite() {
    return RandomGradients.of(
        Arbitraries.frequencyOf(
            Tuple.of(12, finite()),
            Tuple.of(1, Arbitraries.of(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)),
            Tuple.of(1, Arbitraries.just(Double.NaN))),
        2,
        5);
  }

  @Provide
  Arbitrary<Double> thresholds() {
    return RandomGradients.thresholds();
  }

  /** Elements from 1e-8 to 1e9 in size, and zeros: no square overflows or underflows. */
  private static Arbitrary<Double> finite() {
    return RandomGradients.elements(8);
  }

  @Property(tries = 200)
  void normClippingMultipliesEveryGradientByMinOfOneAndCOverNormPlusEpsilon(
      @ForAll("gradients") ParameterGradients gradients,
      @ForAll("thresholds") double maxNorm,
      @ForAll NormType type) {
    ClipResult result = new TorchClipGradNorm(type, maxNorm).clip(gradients);
    double norm = RandomGradients.independentNorm(type, RandomGradients.flat(gradients));
    assertEquals(norm, result.norm(), ROUNDING * norm, "total norm");
    double expectedCoefficient = Math.min(1, maxNorm / (norm + 1e-6));
    // The coefficient PyTorch applies, from the norm it returns: one number for every element.
    double coefficient = Math.min(1, (1 / (result.norm() + 1e-6)) * maxNorm);
    assertEquals(expectedCoefficient, coefficient, ROUNDING * expectedCoefficient);
    assertEquals(coefficient != 1, result.clipped());
    for (Parameter parameter : gradients.parameters()) {
      double[] before = gradients.tensor(parameter).toArray();
      double[] after = result.gradients().tensor(parameter).toArray();
      for (int i = 0; i < before.length; i++) {
        assertEquals(before[i] * coefficient, after[i], "element " + i + " of " + parameter);
        double expected = before[i] * expectedCoefficient;
        assertEquals(expected, after[i], ROUNDING * Math.abs(expected));
      }
      if (coefficient == 1) {
        assertSame(gradients.tensor(parameter), result.gradients().tensor(parameter));
      }
    }
  }

  @Property(tries = 200)
  void valueClippingIsTheExactClipperOnFiniteGradients(
      @ForAll("gradients") ParameterGradients gradients, @ForAll("thresholds") double limit) {
    ClipResult torch = new TorchClipGradValue(limit).clip(gradients);
    ClipResult exact = new ClipByValue(limit).clip(gradients);
    assertEquals(exact.norm(), torch.norm());
    assertEquals(exact.clipped(), torch.clipped());
    for (Parameter parameter : gradients.parameters()) {
      assertEquals(exact.gradients().tensor(parameter), torch.gradients().tensor(parameter));
    }
  }

  @Property(tries = 200)
  void valueClippingClampsInfinitiesToTheLimitAndKeepsNan(
      @ForAll("gradientsWithNonFinite") ParameterGradients gradients,
      @ForAll("thresholds") double limit) {
    ParameterGradients clipped = new TorchClipGradValue(limit).clip(gradients).gradients();
    for (Parameter parameter : gradients.parameters()) {
      double[] before = gradients.tensor(parameter).toArray();
      double[] after = clipped.tensor(parameter).toArray();
      for (int i = 0; i < before.length; i++) {
        double expected =
            Double.isNaN(before[i])
                ? Double.NaN
                : Math.abs(before[i]) <= limit ? before[i] : Math.copySign(limit, before[i]);
        assertEquals(expected, after[i], "element " + i + " of " + parameter);
      }
    }
  }

  @Property(tries = 200)
  void normClippingOfNonFiniteGradientsZeroesOrPoisonsAsPyTorchDoes(
      @ForAll("gradientsWithNonFinite") ParameterGradients gradients,
      @ForAll("thresholds") double maxNorm,
      @ForAll NormType type) {
    ClipResult result = new TorchClipGradNorm(type, maxNorm).clip(gradients);
    boolean anyNan = false;
    boolean anyInfinite = false;
    for (Parameter parameter : gradients.parameters()) {
      for (double value : gradients.tensor(parameter).toArray()) {
        anyNan |= Double.isNaN(value);
        anyInfinite |= Double.isInfinite(value);
      }
    }
    if (!anyNan && !anyInfinite) {
      return;
    }
    assertEquals(anyNan ? Double.NaN : Double.POSITIVE_INFINITY, result.norm());
    for (Parameter parameter : gradients.parameters()) {
      double[] before = gradients.tensor(parameter).toArray();
      double[] after = result.gradients().tensor(parameter).toArray();
      for (int i = 0; i < before.length; i++) {
        // k = 0 when the norm is infinite: x · 0 is ±0 for finite x and NaN for ±∞; k = NaN else.
        double expected = anyNan ? Double.NaN : before[i] * 0.0;
        assertEquals(expected, after[i], "element " + i + " of " + parameter);
      }
    }
    assertTrue(result.clipped());
  }
}
