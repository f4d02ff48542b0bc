package dev.rewind.optim;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.optim.schedule.LearningRateSchedule;

/**
 * Adam's hyperparameters and its bias-corrected moment step, shared by {@link Adam} and {@link
 * AdamW}, which differ only in how weight decay enters. The arithmetic follows PyTorch's
 * single-tensor Adam operation by operation.
 */
final class AdamMoments {
  static final String FIRST_MOMENT = "firstMoment";
  static final String SECOND_MOMENT = "secondMoment";

  final LearningRateSchedule learningRate;
  final double beta1;
  final double beta2;
  final double epsilon;
  final double weightDecay;

  AdamMoments(
      String optimizer,
      LearningRateSchedule learningRate,
      double beta1,
      double beta2,
      double epsilon,
      double weightDecay) {
    checkArgument(learningRate != null, "%s: the learning rate was not set", optimizer);
    Hyperparameters.checkFraction(optimizer, "beta1", beta1);
    Hyperparameters.checkFraction(optimizer, "beta2", beta2);
    checkArgument(
        epsilon > 0 && Double.isFinite(epsilon),
        "%s: epsilon %s must be positive and finite",
        optimizer,
        epsilon);
    Hyperparameters.checkNonNegative(optimizer, "weightDecay", weightDecay);
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.weightDecay = weightDecay;
  }

  /**
   * Adam's step number {@code t} (1-based) at learning rate {@code rate}, over the moments {@code
   * m} and {@code v} of one parameter.
   */
  Step step(double rate, long t, double[] m, double[] v) {
    double biasCorrection1 = 1 - Math.pow(beta1, (double) t);
    double biasCorrection2 = 1 - Math.pow(beta2, (double) t);
    return new Step(rate, rate / biasCorrection1, Math.sqrt(biasCorrection2), m, v);
  }

  /**
   * One Adam step of one parameter: its learning rate η_t, the bias-corrected step size η_t / (1 −
   * β1^t) and √(1 − β2^t), and the moments it updates in place, element by element.
   */
  final class Step {
    final double rate;
    private final double stepSize;
    private final double biasCorrection2Sqrt;
    private final double[] m;
    private final double[] v;

    private Step(double rate, double stepSize, double biasCorrection2Sqrt, double[] m, double[] v) {
      this.rate = rate;
      this.stepSize = stepSize;
      this.biasCorrection2Sqrt = biasCorrection2Sqrt;
      this.m = m;
      this.v = v;
    }

    /**
     * Updates the moments of element {@code i} with its gradient {@code g} and returns its weight
     * {@code theta} moved by one Adam step.
     *
     * <pre>
     * m ← β1 m + (1 − β1) g
     * v ← β2 v + (1 − β2) g²
     * θ ← θ − (η_t / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)
     * </pre>
     */
    double move(int i, double theta, double g) {
      m[i] = m[i] * beta1 + (1 - beta1) * g;
      v[i] = v[i] * beta2 + (1 - beta2) * g * g;
      double denominator = Math.sqrt(v[i]) / biasCorrection2Sqrt + epsilon;
      return theta + -stepSize * m[i] / denominator;
    }
  }
}
