package dev.rewind.optim.clip;

import static dev.rewind.optim.clip.RandomGradients.flat;
import static dev.rewind.optim.clip.RandomGradients.independentNorm;
import static dev.rewind.optim.clip.RandomGradients.largestAbsolute;
import static dev.rewind.optim.clip.RandomGradients.tensors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.optim.ParameterGradients;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;

/**
 * Clipping on random gradients: several parameters of rank 0 to 3 (some empty), with elements
 * spread over many orders of magnitude.
 */
class ClippingProperties {
  private static final double ROUNDING = 1e-12;

  @Provide
  Arbitrary<ParameterGradients> gradients() {
    return RandomGradients.of(RandomGradients.elements(30), 3, 4);
  }

  @Provide
  Arbitrary<Double> thresholds() {
    return RandomGradients.thresholds();
  }

  @Property(tries = 300)
  void globalNormClippingLeavesTheNormAtMostTheMaximum(
      @ForAll("gradients") ParameterGradients gradients,
      @ForAll("thresholds") double maxNorm,
      @ForAll NormType type) {
    ClipResult result = new ClipByGlobalNorm(type, maxNorm).clip(gradients);
    double after = independentNorm(type, flat(result.gradients()));
    assertTrue(after <= maxNorm * (1 + ROUNDING), after + " > " + maxNorm);
  }

  @Property(tries = 300)
  void globalNormClippingKeepsTheDirection(
      @ForAll("gradients") ParameterGradients gradients,
      @ForAll("thresholds") double maxNorm,
      @ForAll NormType type) {
    double[] before = flat(gradients);
    double[] after = flat(new ClipByGlobalNorm(type, maxNorm).clip(gradients).gradients());
    double largest = largestAbsolute(before);
    if (largest == 0) {
      assertEquals(0.0, largestAbsolute(after));
      return;
    }
    // after must be c·before for one c > 0: fit c by least squares, then check every element.
    double dot = 0;
    double beforeSquared = 0;
    for (int i = 0; i < before.length; i++) {
      dot += (after[i] / largest) * (before[i] / largest);
      beforeSquared += (before[i] / largest) * (before[i] / largest);
    }
    double c = dot / beforeSquared;
    assertTrue(c > 0, "scale " + c);
    for (int i = 0; i < before.length; i++) {
      assertEquals(c * before[i], after[i], ROUNDING * c * largest, "element " + i);
    }
  }

  @Property(tries = 300)
  void clippingUnderTheThresholdChangesNothing(
      @ForAll("gradients") ParameterGradients gradients,
      @ForAll @DoubleRange(min = 0, max = 10) double headroom,
      @ForAll NormType type) {
    double norm = independentNorm(type, flat(gradients));
    double limit = Math.max(norm * (1 + headroom) * (1 + ROUNDING), Double.MIN_NORMAL);
    List<GradientClipper> clippers =
        List.of(
            new ClipByGlobalNorm(type, limit),
            new ClipByTensorNorm(type, limit),
            new ClipByValue(Math.max(largestAbsolute(flat(gradients)), Double.MIN_NORMAL)));
    for (GradientClipper clipper : clippers) {
      ClipResult result = clipper.clip(gradients);
      assertTrue(!result.clipped(), clipper + " clipped");
      for (Parameter parameter : gradients.parameters()) {
        assertSame(gradients.tensor(parameter), result.gradients().tensor(parameter));
      }
    }
  }

  @Property(tries = 300)
  void clippingByValueBoundsEveryElementAndKeepsThoseInside(
      @ForAll("gradients") ParameterGradients gradients, @ForAll("thresholds") double limit) {
    double[] before = flat(gradients);
    double[] after = flat(new ClipByValue(limit).clip(gradients).gradients());
    for (int i = 0; i < before.length; i++) {
      assertTrue(Math.abs(after[i]) <= limit, after[i] + " outside ±" + limit);
      double expected = Math.abs(before[i]) <= limit ? before[i] : Math.copySign(limit, before[i]);
      assertEquals(expected, after[i], 0.0);
    }
  }

  @Property(tries = 300)
  void returnedNormEqualsTheNormComputedIndependently(
      @ForAll("gradients") ParameterGradients gradients,
      @ForAll("thresholds") double threshold,
      @ForAll NormType type) {
    double[] values = flat(gradients);
    double expected = independentNorm(type, values);
    double global = new ClipByGlobalNorm(type, threshold).clip(gradients).norm();
    assertEquals(expected, global, ROUNDING * expected);
    double largestTensorNorm = 0;
    for (Tensor tensor : tensors(gradients)) {
      largestTensorNorm = Math.max(largestTensorNorm, independentNorm(type, tensor.toArray()));
    }
    double perTensor = new ClipByTensorNorm(type, threshold).clip(gradients).norm();
    assertEquals(largestTensorNorm, perTensor, ROUNDING * largestTensorNorm);
    assertEquals(largestAbsolute(values), new ClipByValue(threshold).clip(gradients).norm(), 0.0);
  }

  @Property(tries = 300)
  void tensorNormClippingBoundsEachTensorAndKeepsItsDirection(
      @ForAll("gradients") ParameterGradients gradients,
      @ForAll("thresholds") double maxNorm,
      @ForAll NormType type) {
    ParameterGradients clipped = new ClipByTensorNorm(type, maxNorm).clip(gradients).gradients();
    for (Parameter parameter : gradients.parameters()) {
      double[] before = gradients.tensor(parameter).toArray();
      double[] after = clipped.tensor(parameter).toArray();
      double norm = independentNorm(type, before);
      assertTrue(independentNorm(type, after) <= maxNorm * (1 + ROUNDING));
      double scale = norm <= maxNorm ? 1 : maxNorm / norm;
      for (int i = 0; i < before.length; i++) {
        assertEquals(before[i] * scale, after[i], ROUNDING * Math.abs(before[i] * scale));
      }
    }
  }

  @Property(tries = 200)
  void clippingNeverIncreasesTheNorm(
      @ForAll("gradients") ParameterGradients gradients,
      @ForAll("thresholds") double threshold,
      @ForAll NormType type) {
    double before = independentNorm(type, flat(gradients));
    for (GradientClipper clipper :
        List.of(
            new ClipByGlobalNorm(type, threshold),
            new ClipByTensorNorm(type, threshold),
            new ClipByValue(threshold))) {
      double after = independentNorm(type, flat(clipper.clip(gradients).gradients()));
      assertTrue(after <= before * (1 + ROUNDING), clipper + ": " + before + " → " + after);
    }
  }
}
