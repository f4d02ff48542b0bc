package dev.rewind.optim.schedule;

/**
 * The same learning rate at every step.
 *
 * <pre>
 * η_t = η
 * </pre>
 *
 * @param rate the learning rate, positive and finite
 */
public record ConstantRate(double rate) implements LearningRateSchedule {

  public ConstantRate {
    Schedules.checkInitialRate("constant", rate);
  }

  @Override
  public double rate(long step) {
    Schedules.checkStep(step);
    return rate;
  }
}
