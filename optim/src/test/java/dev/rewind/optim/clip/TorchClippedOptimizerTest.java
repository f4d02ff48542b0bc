package dev.rewind.optim.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.optim.Adam;
import dev.rewind.optim.NonFiniteGradientException;
import dev.rewind.optim.Optimizer;
import dev.rewind.optim.OptimizerState;
import dev.rewind.optim.ParameterGradients;
import dev.rewind.optim.Sgd;
import dev.rewind.optim.StepReport;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A {@link ClippedOptimizer} with a PyTorch clipper steps wherever PyTorch's clipped gradients are
 * finite, and applies its policy to the clipped gradients otherwise, naming where the trouble
 * began.
 */
class TorchClippedOptimizerTest {
  private static final double INF = Double.POSITIVE_INFINITY;

  private final Parameter a = new Parameter("a", Tensor.vector(1.0, -2.0));
  private final Parameter b = new Parameter("b", Tensor.scalar(0.5));

  private ParameterGradients gradients(Tensor forA, Tensor forB) {
    return ParameterGradients.builder().put(a, forA).put(b, forB).build();
  }

  private Optimizer sgd(GradientClipper clipper, NonFinitePolicy policy) {
    return new ClippedOptimizer(
        Sgd.builder(List.of(a, b)).learningRate(0.1).build(), clipper, policy);
  }

  @Test
  void infinityClippedByValueIsSteppedWithAsPyTorchDoes() {
    Optimizer optimizer = sgd(new TorchClipGradValue(1.0), NonFinitePolicy.THROW);
    StepReport report = optimizer.step(gradients(Tensor.vector(INF, 0.5), Tensor.scalar(-INF)));
    // clip_grad_value_(params, 1.0) makes the gradients (1, 0.5) and -1; SGD steps with them.
    assertTrue(report.taken());
    assertEquals(INF, report.gradientNorm());
    assertEquals(Tensor.vector(1.0 - 0.1, -2.0 - 0.05), a.value());
    assertEquals(Tensor.scalar(0.5 + 0.1), b.value());
    assertEquals(1, optimizer.steps());
  }

  @Test
  void overflowingNormZeroesTheGradientsAndTheStepIsTakenAsPyTorchDoes() {
    Optimizer optimizer = sgd(TorchClipGradNorm.l2(1.0), NonFinitePolicy.THROW);
    StepReport report = optimizer.step(gradients(Tensor.vector(1e200, -3e200), Tensor.scalar(2.0)));
    // The sum of squares overflows: total norm inf, coefficient 0, every gradient ±0.
    assertTrue(report.taken());
    assertEquals(INF, report.gradientNorm());
    assertEquals(Tensor.vector(1.0, -2.0), a.value());
    assertEquals(Tensor.scalar(0.5), b.value());
  }

  @Test
  void nanFromTheNormIsRefusedNamingTheParameterItCameFrom() {
    Optimizer optimizer = sgd(TorchClipGradNorm.l2(1.0), NonFinitePolicy.THROW);
    // After clip_grad_norm_ every gradient is NaN; the error names b, whose gradient was NaN.
    NonFiniteGradientException error =
        assertThrows(
            NonFiniteGradientException.class,
            () -> optimizer.step(gradients(Tensor.vector(1.0, 1.0), Tensor.scalar(Double.NaN))));
    assertEquals("b", error.parameterName());
    assertEquals(
        "clippedOptimizer: gradient for parameter 'b' is NaN at element 0; the step was not taken",
        error.getMessage());
    assertEquals(Tensor.vector(1.0, -2.0), a.value());
    assertEquals(0, optimizer.steps());
  }

  @Test
  void infinityClippedByNormIsReportedAsItWasGiven() {
    Optimizer optimizer = sgd(new TorchClipGradNorm(NormType.MAX, 1.0), NonFinitePolicy.THROW);
    // clip_grad_norm_ turns the inf into inf * 0 = NaN; the error shows the value as given.
    NonFiniteGradientException error =
        assertThrows(
            NonFiniteGradientException.class,
            () -> optimizer.step(gradients(Tensor.vector(0.5, -INF), Tensor.scalar(3.0))));
    assertEquals("a", error.parameterName());
    assertEquals(1, error.position());
    assertEquals(-INF, error.value());
  }

  @Test
  void skipPolicyReportsOnlyTheGradientsStillNotFiniteAfterClipping() {
    Optimizer optimizer =
        new ClippedOptimizer(
            Adam.builder(List.of(a, b)).learningRate(0.1).build(),
            new TorchClipGradValue(1.0),
            NonFinitePolicy.SKIP_STEP);
    assertTrue(optimizer.step(gradients(Tensor.vector(2.0, 0.5), Tensor.scalar(-1.0))).taken());
    OptimizerState before = optimizer.exportState();
    Tensor aBefore = a.value();
    StepReport report =
        optimizer.step(gradients(Tensor.vector(INF, 0.5), Tensor.scalar(Double.NaN)));
    // a's inf is clipped to 1 as in PyTorch; b's NaN stays NaN, so the step is skipped for b.
    assertFalse(report.taken());
    assertEquals(ImmutableList.of("b"), report.nonFiniteParameters());
    assertTrue(Double.isNaN(report.gradientNorm()));
    assertEquals(aBefore, a.value());
    assertEquals(before, optimizer.exportState());
    assertEquals(1, optimizer.steps());
  }

  @Test
  void skipPolicyWithTheNormReportsTheTotalNormAndTheCause() {
    Optimizer optimizer = sgd(TorchClipGradNorm.l2(1.0), NonFinitePolicy.SKIP_STEP);
    StepReport report = optimizer.step(gradients(Tensor.vector(INF, 0.5), Tensor.scalar(1.0)));
    assertFalse(report.taken());
    assertEquals(ImmutableList.of("a"), report.nonFiniteParameters());
    assertEquals(INF, report.gradientNorm());
    assertEquals(0, optimizer.steps());
  }

  @Test
  void finiteStepsMatchClippingByHandThenStepping() {
    Parameter a2 = new Parameter("a", Tensor.vector(1.0, -2.0));
    Parameter b2 = new Parameter("b", Tensor.scalar(0.5));
    GradientClipper clipper = TorchClipGradNorm.l2(1.0);
    Optimizer clipped =
        new ClippedOptimizer(
            Adam.builder(List.of(a, b)).learningRate(0.1).build(), clipper, NonFinitePolicy.THROW);
    Optimizer byHand = Adam.builder(List.of(a2, b2)).learningRate(0.1).build();
    for (int step = 0; step < 4; step++) {
      double scale = step % 2 == 0 ? 10 : 0.01;
      clipped.step(gradients(Tensor.vector(3 * scale, -4 * scale), Tensor.scalar(scale)));
      byHand.step(
          clipper
              .clip(
                  ParameterGradients.builder()
                      .put(a2, Tensor.vector(3 * scale, -4 * scale))
                      .put(b2, Tensor.scalar(scale))
                      .build())
              .gradients());
    }
    assertEquals(a2.value(), a.value());
    assertEquals(b2.value(), b.value());
  }
}
