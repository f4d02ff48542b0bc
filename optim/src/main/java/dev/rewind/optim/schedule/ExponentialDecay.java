package dev.rewind.optim.schedule;

/**
 * The learning rate multiplied by {@code gamma} at every step, as PyTorch's {@code ExponentialLR}.
 *
 * <pre>
 * η_t = η_0 · γ^t
 * </pre>
 *
 * @param initialRate η_0, positive and finite
 * @param gamma the factor γ, in (0, 1]
 */
public record ExponentialDecay(double initialRate, double gamma) implements LearningRateSchedule {

  public ExponentialDecay {
    Schedules.checkInitialRate("exponentialDecay", initialRate);
    Schedules.checkFactor("exponentialDecay", "gamma", gamma);
  }

  @Override
  public double rate(long step) {
    Schedules.checkStep(step);
    return initialRate * Math.pow(gamma, (double) step);
  }
}
