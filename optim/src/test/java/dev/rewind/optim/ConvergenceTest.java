package dev.rewind.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every optimizer reaches the minimum of Rosenbrock's function and solves note 003's 8-bit sum with
 * the linear scalar RNN (v_x = v_f = 1), with gradients from the tape.
 */
class ConvergenceTest {
  private static final Tensor BITS = Problems.randomBits(16, 3);

  @Test
  void everyOptimizerReachesTheMinimumOfRosenbrocksFunction() {
    Map<String, Function<List<Parameter>, Optimizer>> optimizers = new TreeMap<>();
    optimizers.put("Sgd", p -> Sgd.builder(p).learningRate(2e-3).build());
    optimizers.put("Sgd momentum", p -> Sgd.builder(p).learningRate(1e-3).momentum(0.9).build());
    optimizers.put(
        "Sgd Nesterov", p -> Sgd.builder(p).learningRate(1e-3).momentum(0.9).nesterov().build());
    optimizers.put("Adam", p -> Adam.builder(p).learningRate(0.02).build());
    optimizers.put("AdamW", p -> AdamW.builder(p).learningRate(0.02).weightDecay(1e-6).build());
    for (RpropVariant variant : RpropVariant.values()) {
      optimizers.put(variant.toString(), p -> Rprop.builder(variant, p).initialStep(0.01).build());
    }
    // Plain SGD, and Rprop without the improved rule, creep along the curved valley.
    Map<String, Integer> steps = Map.of("Sgd", 6_000, "Rprop+", 8_000, "Rprop-", 8_000);
    optimizers.forEach(
        (name, factory) -> {
          Parameter xy = new Parameter("xy", Tensor.vector(-1.2, 1.0));
          Optimizer optimizer = factory.apply(List.of(xy));
          double loss =
              Problems.train(
                  optimizer, () -> Problems.rosenbrock(xy), steps.getOrDefault(name, 3_000));
          assertTrue(loss < 1e-4, name + ": loss " + loss + " at " + xy.value());
          assertEquals(1.0, xy.value().getFlat(0), 0.02, name);
          assertEquals(1.0, xy.value().getFlat(1), 0.04, name);
        });
  }

  @Test
  void everyOptimizerSolvesTheEightBitSumOfNote003() {
    Map<String, Function<List<Parameter>, Optimizer>> optimizers = new TreeMap<>();
    optimizers.put("Sgd", p -> Sgd.builder(p).learningRate(3e-4).build());
    optimizers.put(
        "Sgd Nesterov", p -> Sgd.builder(p).learningRate(5e-5).momentum(0.9).nesterov().build());
    optimizers.put("Adam", p -> Adam.builder(p).learningRate(0.01).build());
    optimizers.put("AdamW", p -> AdamW.builder(p).learningRate(0.01).weightDecay(1e-6).build());
    for (RpropVariant variant : RpropVariant.values()) {
      // Note 003's settings: η+ = 1.2, η− = 0.5, Δ0 = 0.001.
      optimizers.put(
          variant.toString(),
          p -> Rprop.builder(variant, p).initialStep(0.001).etaPlus(1.2).etaMinus(0.5).build());
    }
    optimizers.forEach(
        (name, factory) -> {
          Parameter vx = new Parameter("v_x", Tensor.scalar(0.2));
          Parameter vf = new Parameter("v_f", Tensor.scalar(0.3));
          Optimizer optimizer = factory.apply(List.of(vx, vf));
          double loss =
              Problems.train(optimizer, () -> Problems.eightBitSumLoss(vx, vf, BITS), 3_000);
          // Rprop's floor: a weight cannot move by less than Δmin = 1e-6.
          assertTrue(loss < 1e-6, name + ": loss " + loss);
          assertEquals(1.0, vx.value().item(), 1e-3, name + ": v_x");
          assertEquals(1.0, vf.value().item(), 1e-3, name + ": v_f");
        });
  }

  @Test
  void tapeGradientOfTheEightBitSumIsNote003sClosedForm() {
    Parameter vx = new Parameter("v_x", Tensor.scalar(0.7));
    Parameter vf = new Parameter("v_f", Tensor.scalar(0.9));
    Tensor expected = closedFormGradient(0.7, 0.9);
    try (Tape tape = Tape.record()) {
      Var loss = Problems.eightBitSumLoss(vx, vf, BITS);
      ParameterGradients gradients = ParameterGradients.from(tape.gradient(loss, vx, vf));
      assertEquals(expected.getFlat(0), gradients.tensor(vx).item(), 1e-12);
      assertEquals(expected.getFlat(1), gradients.tensor(vf).item(), 1e-12);
    }
  }

  /**
   * Note 003's eqs. 22 and 26:
   *
   * <pre>
   * ∂E/∂v_x = Σ_t [Σ_i (ŷ⁽ⁱ⁾ − y⁽ⁱ⁾) x_t⁽ⁱ⁾] v_f^(T−t)
   * ∂E/∂v_f = Σ_t [Σ_i (ŷ⁽ⁱ⁾ − y⁽ⁱ⁾) f_{t−1}⁽ⁱ⁾] v_f^(T−t)
   * </pre>
   */
  private static Tensor closedFormGradient(double vx, double vf) {
    int count = BITS.shape().dim(0);
    int steps = Problems.BITS;
    double[][] f = new double[count][steps + 1];
    double[] error = new double[count];
    for (int i = 0; i < count; i++) {
      double target = 0;
      for (int t = 1; t <= steps; t++) {
        f[i][t] = f[i][t - 1] * vf + BITS.get(i, t - 1) * vx;
        target += BITS.get(i, t - 1);
      }
      error[i] = f[i][steps] - target;
    }
    double dvx = 0;
    double dvf = 0;
    for (int t = 1; t <= steps; t++) {
      double inputs = 0;
      double states = 0;
      for (int i = 0; i < count; i++) {
        inputs += error[i] * BITS.get(i, t - 1);
        states += error[i] * f[i][t - 1];
      }
      dvx += inputs * Math.pow(vf, steps - t);
      dvf += states * Math.pow(vf, steps - t);
    }
    return Tensor.vector(dvx, dvf);
  }
}
