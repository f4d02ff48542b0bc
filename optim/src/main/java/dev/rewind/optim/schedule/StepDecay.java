package dev.rewind.optim.schedule;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The learning rate multiplied by {@code gamma} every {@code stepSize} steps, as PyTorch's {@code
 * StepLR}.
 *
 * <pre>
 * η_t = η_0 · γ^⌊t / stepSize⌋
 * </pre>
 *
 * @param initialRate η_0, positive and finite
 * @param stepSize how many steps share one rate, at least 1
 * @param gamma the factor γ, in (0, 1]
 */
public record StepDecay(double initialRate, long stepSize, double gamma)
    implements LearningRateSchedule {

  public StepDecay {
    Schedules.checkInitialRate("stepDecay", initialRate);
    checkArgument(stepSize >= 1, "stepDecay: stepSize %s must be at least 1", stepSize);
    Schedules.checkFactor("stepDecay", "gamma", gamma);
  }

  @Override
  public double rate(long step) {
    Schedules.checkStep(step);
    long decays = step / stepSize;
    return initialRate * Math.pow(gamma, (double) decays);
  }
}
