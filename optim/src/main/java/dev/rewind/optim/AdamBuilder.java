package dev.rewind.optim;

import com.google.common.collect.ImmutableMap;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.optim.schedule.LearningRateSchedule;

/**
 * The hyperparameters {@link Adam}'s and {@link AdamW}'s builders share, with PyTorch's defaults (η
 * = 1e-3, β1 = 0.9, β2 = 0.999, ε = 1e-8); each builder documents its own weight decay λ and checks
 * them all in {@link #moments}.
 *
 * @param <B> the concrete builder, returned by every setter
 */
abstract class AdamBuilder<B extends AdamBuilder<B>> extends RateBuilder<B> {
  private double beta1 = 0.9;
  private double beta2 = 0.999;
  private double epsilon = 1e-8;
  double weightDecay;

  AdamBuilder(String optimizer, ImmutableMap<String, Parameter> parameters, double weightDecay) {
    super(optimizer, parameters, LearningRateSchedule.constant(1e-3));
    this.weightDecay = weightDecay;
  }

  /** The decay rates β1 and β2 of the two moments, each in [0, 1); default 0.9 and 0.999. */
  @CanIgnoreReturnValue
  public B betas(double beta1, double beta2) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    return self();
  }

  /** The ε added to the denominator; positive; default 1e-8. */
  @CanIgnoreReturnValue
  public B epsilon(double epsilon) {
    this.epsilon = epsilon;
    return self();
  }

  /** The checked hyperparameters. */
  AdamMoments moments() {
    return new AdamMoments(optimizer, learningRate, beta1, beta2, epsilon, weightDecay);
  }
}
