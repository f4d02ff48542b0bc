package dev.rewind.optim.schedule;

import static com.google.common.base.Preconditions.checkArgument;

/** Checks shared by the schedules' constructors. */
final class Schedules {
  private Schedules() {}

  static void checkInitialRate(String schedule, double initialRate) {
    checkArgument(
        initialRate > 0 && Double.isFinite(initialRate),
        "%s: initialRate %s must be positive and finite",
        schedule,
        initialRate);
  }

  static void checkFactor(String schedule, String name, double factor) {
    checkArgument(factor > 0 && factor <= 1, "%s: %s %s must be in (0, 1]", schedule, name, factor);
  }

  static void checkStep(long step) {
    checkArgument(step >= 0, "schedule: step %s is negative", step);
  }
}
