package dev.rewind.layers.reference;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.MatMul;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Reductions;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * Note 003's linear RNN with one unit, which learns the 8-bit sum ŷ = Σ_t x_t, and its gradients in
 * closed form, computed without a tape.
 *
 * <pre>
 *   f_t = f_{t−1} v_f + x_t v_x,   f_0 = 0,   ŷ = f_T                      (16)
 *   E   = ½ Σ_i (ŷ⁽ⁱ⁾ − y⁽ⁱ⁾)²                                             (17)
 *   ∂E/∂f_t = Σ_i (ŷ⁽ⁱ⁾ − y⁽ⁱ⁾) v_f^(T−t)                                    (24)
 *   ∂E/∂v_x = Σ_{t=1..T} [Σ_i (ŷ⁽ⁱ⁾ − y⁽ⁱ⁾) x_t⁽ⁱ⁾] v_f^(T−t)                  (22)
 *   ∂E/∂v_f = Σ_{t=1..T} [Σ_i (ŷ⁽ⁱ⁾ − y⁽ⁱ⁾) f_{t−1}⁽ⁱ⁾] v_f^(T−t)              (26)
 * </pre>
 *
 * <p>The net is an {@link dev.rewind.layers.elman.ElmanCell} with one input, one hidden unit, the
 * identity for φ, {@code U = [[v_x]]}, {@code W = [[v_f]]} and {@code b = 0}. Inputs are {@code [I,
 * T]}, one sequence of T values per row; targets are {@code [I]}. Since v_f enters every step, the
 * factor v_f^(T−t) makes ∂E/∂f_1 vanish (|v_f| &lt; 1) or explode (|v_f| &gt; 1) as T grows.
 */
public final class ScalarLinearRnn {
  private final double vf;
  private final double vx;

  public ScalarLinearRnn(double vf, double vx) {
    this.vf = vf;
    this.vx = vx;
  }

  public double vf() {
    return vf;
  }

  public double vx() {
    return vx;
  }

  /** {@code f_0, f_1, …, f_T} of every sequence: {@code [I, T + 1]}. */
  public Tensor states(Tensor inputs) {
    checkInputs(inputs);
    int sequences = inputs.shape().dim(0);
    int steps = inputs.shape().dim(1);
    double[] states = new double[sequences * (steps + 1)];
    for (int i = 0; i < sequences; i++) {
      double f = 0;
      for (int t = 1; t <= steps; t++) {
        f = f * vf + inputs.get(i, t - 1) * vx;
        states[i * (steps + 1) + t] = f;
      }
    }
    return Tensor.of(Shape.of(sequences, steps + 1), states);
  }

  /** ŷ = f_T of every sequence: {@code [I]}. */
  public Tensor predictions(Tensor inputs) {
    int steps = inputs.shape().dim(1);
    Tensor last = Layout.slice(states(inputs), 1, steps, steps + 1);
    return last.reshape(Shape.of(inputs.shape().dim(0)));
  }

  /** E, equation (17). */
  public double error(Tensor inputs, Tensor targets) {
    Tensor residuals = residuals(inputs, targets);
    return 0.5 * Reductions.dot(residuals, residuals);
  }

  /** ∂E/∂f_t for t in {@code 1..T}, equation (24). */
  public double stateGradient(Tensor inputs, Tensor targets, int t) {
    int steps = inputs.shape().dim(1);
    checkArgument(1 <= t && t <= steps, "ScalarLinearRnn: step %s is not in 1..%s", t, steps);
    return Reductions.sum(residuals(inputs, targets)).item() * Math.pow(vf, steps - t);
  }

  /** ∂E/∂v_x, equation (22): the residuals times the inputs at each step, weighted by v_f^(T−t). */
  public double gradientVx(Tensor inputs, Tensor targets) {
    return weightedBySteps(residuals(inputs, targets), inputs);
  }

  /**
   * ∂E/∂v_f, equation (26): the residuals times the previous states at each step, weighted by
   * v_f^(T−t).
   */
  public double gradientVf(Tensor inputs, Tensor targets) {
    int steps = inputs.shape().dim(1);
    Tensor previousStates = Layout.slice(states(inputs), 1, 0, steps);
    return weightedBySteps(residuals(inputs, targets), previousStates);
  }

  /** {@code Σ_t [Σ_i r⁽ⁱ⁾ a_t⁽ⁱ⁾] v_f^(T−t)} for {@code a} of shape {@code [I, T]}. */
  private double weightedBySteps(Tensor residuals, Tensor perStep) {
    int sequences = perStep.shape().dim(0);
    int steps = perStep.shape().dim(1);
    Tensor summedOverSequences =
        MatMul.matmul(residuals.reshape(Shape.of(1, sequences)), perStep); // [1, T]
    double[] powers = new double[steps];
    for (int t = 1; t <= steps; t++) {
      powers[t - 1] = Math.pow(vf, steps - t);
    }
    return Reductions.dot(summedOverSequences, Tensor.vector(powers));
  }

  /** ŷ⁽ⁱ⁾ − y⁽ⁱ⁾. */
  private Tensor residuals(Tensor inputs, Tensor targets) {
    checkArgument(
        targets.shape().equals(Shape.of(inputs.shape().dim(0))),
        "ScalarLinearRnn: targets have shape %s but inputs %s need [%s]",
        targets.shape(),
        inputs.shape(),
        inputs.shape().dim(0));
    return Pointwise.sub(predictions(inputs), targets);
  }

  private static void checkInputs(Tensor inputs) {
    checkArgument(
        inputs.rank() == 2 && inputs.shape().dim(1) > 0,
        "ScalarLinearRnn: inputs must be [sequences, steps] with at least one step, but have shape"
            + " %s",
        inputs.shape());
  }
}
