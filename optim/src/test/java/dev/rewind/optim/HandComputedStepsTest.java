package dev.rewind.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The first steps of SGD, Adam and AdamW on one weight, against values computed by hand. */
class HandComputedStepsTest {
  private static final double EXACT = 1e-15;

  private static void step(Optimizer optimizer, Parameter w, double gradient) {
    optimizer.step(ParameterGradients.builder().put(w, Tensor.scalar(gradient)).build());
  }

  @Test
  void sgdStepsAgainstTheGradientScaledByTheLearningRate() {
    Parameter w = new Parameter("w", Tensor.scalar(1.0));
    Sgd sgd = Sgd.builder(List.of(w)).learningRate(0.1).build();
    step(sgd, w, 0.5);
    assertEquals(0.95, w.value().item(), EXACT);
  }

  @Test
  void sgdMomentumBufferStartsAsTheUndampedFirstGradient() {
    // b1 = g = 1; b2 = 0.9·1 + (1 − 0.5)·1 = 1.4; w = −0.1·1 − 0.1·1.4 = −0.24.
    Parameter w = new Parameter("w", Tensor.scalar(0.0));
    Sgd sgd = Sgd.builder(List.of(w)).learningRate(0.1).momentum(0.9).dampening(0.5).build();
    step(sgd, w, 1.0);
    assertEquals(-0.1, w.value().item(), EXACT);
    step(sgd, w, 1.0);
    assertEquals(-0.24, w.value().item(), EXACT);
    assertEquals(1.4, sgd.exportState().slots().get("w").get("momentumBuffer").item(), EXACT);
  }

  @Test
  void nesterovStepsAlongTheGradientPlusMomentumTimesTheBuffer() {
    // Step 1: b = 1, d = 1 + 0.9·1 = 1.9.  Step 2: b = 0.9 + 1 = 1.9, d = 1 + 0.9·1.9 = 2.71.
    Parameter w = new Parameter("w", Tensor.scalar(0.0));
    Sgd sgd = Sgd.builder(List.of(w)).learningRate(0.1).momentum(0.9).nesterov().build();
    step(sgd, w, 1.0);
    assertEquals(-0.19, w.value().item(), EXACT);
    step(sgd, w, 1.0);
    assertEquals(-0.19 - 0.271, w.value().item(), EXACT);
  }

  @Test
  void sgdWeightDecayAddsLambdaTimesTheWeightToTheGradient() {
    Parameter w = new Parameter("w", Tensor.scalar(2.0));
    Sgd sgd = Sgd.builder(List.of(w)).learningRate(0.5).weightDecay(0.1).build();
    step(sgd, w, 0.0);
    assertEquals(1.9, w.value().item(), EXACT);
  }

  @Test
  void adamFirstStepMovesByTheLearningRateAgainstTheSign() {
    // m̂ = g and v̂ = g² at t = 1, so the step is η g / (|g| + ε).
    Parameter w = new Parameter("w", Tensor.vector(1.0, 1.0));
    Adam adam = Adam.builder(List.of(w)).learningRate(0.1).build();
    adam.step(ParameterGradients.builder().put(w, Tensor.vector(0.5, -2.0)).build());
    assertEquals(1.0 - 0.1 * 0.5 / (0.5 + 1e-8), w.value().getFlat(0), EXACT);
    assertEquals(1.0 + 0.1 * 2.0 / (2.0 + 1e-8), w.value().getFlat(1), EXACT);
  }

  @Test
  void adamSecondStepIsBiasCorrected() {
    // g = 1 then 3, β1 = 0.9, β2 = 0.999: m = 0.9·0.1 + 0.1·3 = 0.39, v = 0.999·0.001 + 0.001·9.
    Parameter w = new Parameter("w", Tensor.scalar(0.0));
    Adam adam = Adam.builder(List.of(w)).learningRate(0.1).build();
    step(adam, w, 1.0);
    step(adam, w, 3.0);
    double m = 0.9 * 0.1 + 0.1 * 3.0;
    double v = 0.999 * 0.001 + 0.001 * 9.0;
    double mHat = m / (1 - 0.81);
    double vHat = v / (1 - 0.999 * 0.999);
    double expected = -0.1 * 1 / (1 + 1e-8) - 0.1 * mHat / (Math.sqrt(vHat) + 1e-8);
    assertEquals(expected, w.value().item(), 1e-12);
  }

  @Test
  void adamWeightDecayEntersTheGradient() {
    Parameter w = new Parameter("w", Tensor.scalar(1.0));
    Adam adam = Adam.builder(List.of(w)).learningRate(0.1).weightDecay(0.1).build();
    step(adam, w, 0.0);
    assertEquals(1.0 - 0.1 * 0.1 / (0.1 + 1e-8), w.value().item(), EXACT);
  }

  @Test
  void adamWDecayShrinksTheWeightsEvenWithoutAGradient() {
    Parameter w = new Parameter("w", Tensor.scalar(1.0));
    AdamW adamW = AdamW.builder(List.of(w)).learningRate(0.1).weightDecay(0.5).build();
    step(adamW, w, 0.0);
    step(adamW, w, 0.0);
    assertEquals(0.95 * 0.95, w.value().item(), EXACT);
  }
}
