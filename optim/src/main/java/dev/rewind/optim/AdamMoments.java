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
   * Moves {@code theta} in place by one Adam step and updates the moments {@code m} and {@code v}
   * in place.
   *
   * <pre>
   * m ← β1 m + (1 − β1) g
   * v ← β2 v + (1 − β2) g²
   * θ ← θ − (η / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)
   * </pre>
   *
   * @param t the 1-based number of this step
   */
  void step(double[] theta, double[] g, double[] m, double[] v, double rate, long t) {
    double biasCorrection1 = 1 - Math.pow(beta1, (double) t);
    double biasCorrection2 = 1 - Math.pow(beta2, (double) t);
    double stepSize = rate / biasCorrection1;
    double biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
    for (int i = 0; i < theta.length; i++) {
      m[i] = m[i] * beta1 + (1 - beta1) * g[i];
      v[i] = v[i] * beta2 + (1 - beta2) * g[i] * g[i];
      double denominator = Math.sqrt(v[i]) / biasCorrection2Sqrt + epsilon;
      theta[i] = theta[i] + -stepSize * m[i] / denominator;
    }
  }
}
