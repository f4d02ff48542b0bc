package dev.rewind.optim.schedule;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The learning rate falling from {@code initialRate} to {@code minimumRate} along half a cosine
 * over {@code period} steps, as PyTorch's {@code CosineAnnealingLR} (SGDR without restarts).
 *
 * <pre>
 * η_t = η_min + (η_0 − η_min) · (1 + cos(π t / T)) / 2
 * </pre>
 *
 * <p>Past {@code period} the cosine continues, so the rate rises again towards η_0 over the next
 * {@code period} steps, exactly as PyTorch's; choose {@code period} as the length of training.
 *
 * @param initialRate η_0, positive and finite
 * @param minimumRate η_min, in [0, η_0]
 * @param period T, the number of steps from η_0 down to η_min, at least 1
 */
public record CosineAnnealing(double initialRate, double minimumRate, long period)
    implements LearningRateSchedule {

  public CosineAnnealing {
    Schedules.checkInitialRate("cosineAnnealing", initialRate);
    checkArgument(
        minimumRate >= 0 && minimumRate <= initialRate,
        "cosineAnnealing: minimumRate %s must be in [0, initialRate %s]",
        minimumRate,
        initialRate);
    checkArgument(period >= 1, "cosineAnnealing: period %s must be at least 1", period);
  }

  @Override
  public double rate(long step) {
    Schedules.checkStep(step);
    return minimumRate + (initialRate - minimumRate) * (1 + Math.cos(Math.PI * step / period)) / 2;
  }
}
