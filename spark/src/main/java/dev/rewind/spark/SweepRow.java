package dev.rewind.spark;

import java.io.Serializable;
import java.time.Duration;
import java.util.OptionalDouble;

/**
 * What one configuration of a {@link Sweep} came to.
 *
 * @param config the configuration
 * @param name its name
 * @param finalValidationLoss the last validation loss measured, NaN without validation
 * @param bestValidationLoss the lowest validation loss measured, NaN without validation
 * @param steps the steps taken in all, those before a resume included
 * @param resumedFrom the step the last attempt resumed from (0 if it started afresh)
 * @param attempt Spark's attempt number of the task that finished (0 for the first)
 * @param time the time the last attempt trained for
 * @param <C> the configuration's type
 */
public record SweepRow<C extends Serializable>(
    C config,
    String name,
    double finalValidationLoss,
    double bestValidationLoss,
    long steps,
    long resumedFrom,
    int attempt,
    Duration time)
    implements Serializable {

  static double orNaN(OptionalDouble value) {
    return value.isPresent() ? value.getAsDouble() : Double.NaN;
  }
}
