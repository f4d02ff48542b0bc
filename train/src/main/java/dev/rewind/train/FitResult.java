package dev.rewind.train;

import com.google.common.collect.ImmutableList;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What {@link Trainer#fit} did.
 *
 * @param firstStep the steps taken before this call
 * @param step the steps taken after it
 * @param losses the loss of each step of this call, in order (the training curve)
 * @param validations each validation of this call, in order
 * @param reason why it returned
 * @param lastCheckpoint the last checkpoint saved during this call, if any
 */
public record FitResult(
    long firstStep,
    long step,
    ImmutableList<Double> losses,
    ImmutableList<ValidationEvent> validations,
    StopReason reason,
    Optional<Path> lastCheckpoint) {

  /** The steps this call took. */
  public long stepsTaken() {
    return step - firstStep;
  }

  /** The last validation loss measured, if any. */
  public OptionalDouble finalValidationLoss() {
    return validations.isEmpty()
        ? OptionalDouble.empty()
        : OptionalDouble.of(validations.get(validations.size() - 1).loss());
  }

  /** The lowest validation loss measured, if any. */
  public OptionalDouble bestValidationLoss() {
    return validations.stream().mapToDouble(ValidationEvent::loss).min();
  }

  /** The losses as an array, for plotting. */
  public double[] lossArray() {
    return losses.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
