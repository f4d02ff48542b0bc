package dev.rewind.optim.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.optim.NonFiniteGradientException;
import dev.rewind.optim.ParameterGradients;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Clipping on gradients small enough to check by hand. */
class ClippingTest {
  private static final double EXACT = 1e-15;

  private final Parameter u = new Parameter("U", Tensor.zeros(2));
  private final Parameter v = new Parameter("V", Tensor.zeros(1));

  private ParameterGradients gradients(Tensor forU, Tensor forV) {
    return ParameterGradients.builder().put(u, forU).put(v, forV).build();
  }

  @Test
  void tensorNormClippingRescalesAsNote003WritesIt() {
    // Note 003: if ‖∂E/∂V‖ > η, then ∂E/∂V ← η (∂E/∂V) / ‖∂E/∂V‖.
    ClipResult result =
        ClipByTensorNorm.l2(1.0).clip(gradients(Tensor.vector(3, 4), Tensor.vector(0.5)));
    assertEquals(5.0, result.norm(), EXACT);
    assertTrue(result.clipped());
    assertEquals(0.6, result.gradients().tensor(u).getFlat(0), EXACT);
    assertEquals(0.8, result.gradients().tensor(u).getFlat(1), EXACT);
    assertEquals(Tensor.vector(0.5), result.gradients().tensor(v));
  }

  @Test
  void globalNormIsOneNormOverAllGradientsAsIfConcatenated() {
    ClipResult result =
        ClipByGlobalNorm.l2(6.5).clip(gradients(Tensor.vector(3, 4), Tensor.vector(12)));
    assertEquals(13.0, result.norm(), EXACT);
    assertEquals(1.5, result.gradients().tensor(u).getFlat(0), EXACT);
    assertEquals(2.0, result.gradients().tensor(u).getFlat(1), EXACT);
    assertEquals(6.0, result.gradients().tensor(v).getFlat(0), EXACT);
  }

  @Test
  void maxNormClippingScalesTheLargestElementToTheMaximum() {
    ClipResult result =
        new ClipByGlobalNorm(NormType.MAX, 2.0)
            .clip(gradients(Tensor.vector(3, -8), Tensor.vector(1)));
    assertEquals(8.0, result.norm());
    assertEquals(Tensor.vector(0.75, -2), result.gradients().tensor(u));
    assertEquals(Tensor.vector(0.25), result.gradients().tensor(v));
  }

  @Test
  void valueClippingClampsEachElementAsNote002WritesIt() {
    // Note 002: if |g| > threshold then g = threshold if g > 0 else -threshold.
    ClipResult result =
        new ClipByValue(1.0).clip(gradients(Tensor.vector(3, -0.5), Tensor.vector(-7)));
    assertEquals(7.0, result.norm());
    assertEquals(Tensor.vector(1, -0.5), result.gradients().tensor(u));
    assertEquals(Tensor.vector(-1), result.gradients().tensor(v));
  }

  @Test
  void globalNormOfHugeGradientsIsFiniteAndClipsThem() {
    ClipResult result =
        ClipByGlobalNorm.l2(1.0).clip(gradients(Tensor.vector(3e300, 4e300), Tensor.vector(0)));
    assertEquals(5e300, result.norm(), 1e285);
    assertEquals(0.6, result.gradients().tensor(u).getFlat(0), EXACT);
  }

  @Test
  void lossIsKeptThroughClipping() {
    ParameterGradients withLoss = gradients(Tensor.vector(3, 4), Tensor.vector(0)).withLoss(2.5);
    assertEquals(2.5, ClipByGlobalNorm.l2(1).clip(withLoss).gradients().loss().getAsDouble());
  }

  @Test
  void everyClipperRefusesNonFiniteGradientsNamingTheParameter() {
    ParameterGradients bad =
        gradients(Tensor.vector(1, 1), Tensor.vector(Double.POSITIVE_INFINITY));
    for (GradientClipper clipper :
        new GradientClipper[] {
          ClipByGlobalNorm.l2(1), ClipByTensorNorm.l2(1), new ClipByValue(1)
        }) {
      NonFiniteGradientException error =
          assertThrows(NonFiniteGradientException.class, () -> clipper.clip(bad));
      assertEquals("V", error.parameterName());
      assertTrue(error.getMessage().contains("Infinity"), error.getMessage());
    }
  }

  @Test
  void thresholdsMustBePositiveAndTheErrorNamesTheValue() {
    assertMessage(() -> ClipByGlobalNorm.l2(0), "maxNorm 0.0");
    assertMessage(() -> new ClipByGlobalNorm(NormType.MAX, -1), "maxNorm -1.0");
    assertMessage(() -> ClipByTensorNorm.l2(Double.NaN), "maxNorm NaN");
    assertMessage(() -> new ClipByValue(0), "limit 0.0");
  }

  @Test
  void underTheThresholdNothingIsReportedClipped() {
    ClipResult result =
        ClipByGlobalNorm.l2(5.0).clip(gradients(Tensor.vector(3, 4), Tensor.vector(0)));
    assertFalse(result.clipped());
    assertEquals(5.0, result.norm(), EXACT);
  }

  private static void assertMessage(Supplier<?> construction, String expected) {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, construction::get);
    assertTrue(error.getMessage().contains(expected), error.getMessage());
  }
}
