package dev.rewind.optim;

import com.google.common.collect.ImmutableMap;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.optim.schedule.LearningRateSchedule;

/**
 * The part of an optimizer's builder that every schedule-driven optimizer shares: the parameters
 * and the learning rate η_t. Concrete builders add their own hyperparameters and {@code build()}.
 *
 * @param <B> the concrete builder, returned by every setter
 */
abstract class RateBuilder<B extends RateBuilder<B>> {
  final String optimizer;
  final ImmutableMap<String, Parameter> parameters;
  LearningRateSchedule learningRate;

  /**
   * @param optimizer the algorithm's name, for error messages
   * @param learningRate the default schedule, or null when the rate must be set
   */
  RateBuilder(
      String optimizer,
      ImmutableMap<String, Parameter> parameters,
      LearningRateSchedule learningRate) {
    this.optimizer = optimizer;
    this.parameters = parameters;
    this.learningRate = learningRate;
  }

  /** This builder, as its concrete type. */
  abstract B self();

  /** The learning rate η, the same at every step; positive. */
  @CanIgnoreReturnValue
  public B learningRate(double learningRate) {
    Hyperparameters.checkLearningRate(optimizer, learningRate);
    this.learningRate = LearningRateSchedule.constant(learningRate);
    return self();
  }

  /** The learning rate η_t of each step. */
  @CanIgnoreReturnValue
  public B learningRate(LearningRateSchedule schedule) {
    this.learningRate = schedule;
    return self();
  }
}
