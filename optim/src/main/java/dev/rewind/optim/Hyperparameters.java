package dev.rewind.optim;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.optim.schedule.LearningRateSchedule;

/** Checks shared by the optimizers' builders and steps; each message names the value. */
final class Hyperparameters {
  private Hyperparameters() {}

  static void checkLearningRate(String optimizer, double learningRate) {
    checkArgument(
        learningRate > 0 && Double.isFinite(learningRate),
        "%s: learningRate %s must be positive and finite",
        optimizer,
        learningRate);
  }

  /** The rate {@code schedule} gives for {@code step}, checked to be usable. */
  static double rateAt(String optimizer, LearningRateSchedule schedule, long step) {
    double rate = schedule.rate(step);
    checkArgument(
        rate >= 0 && Double.isFinite(rate),
        "%s: the schedule %s gave learning rate %s at step %s; it must be finite and not negative",
        optimizer,
        schedule,
        rate,
        step);
    return rate;
  }

  static void checkNonNegative(String optimizer, String name, double value) {
    checkArgument(
        value >= 0 && Double.isFinite(value),
        "%s: %s %s must be finite and not negative",
        optimizer,
        name,
        value);
  }

  /** {@code value} in [0, 1), as momentum coefficients and moment decay rates must be. */
  static void checkFraction(String optimizer, String name, double value) {
    checkArgument(value >= 0 && value < 1, "%s: %s %s must be in [0, 1)", optimizer, name, value);
  }
}
