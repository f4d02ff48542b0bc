package dev.rewind.train;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Map;

/**
 * Stops training when the validation loss has not fallen below its best by more than {@code
 * minDelta} for {@code patience} validations in a row (Keras' {@code EarlyStopping}). What it knows
 * (the step last measured, the best loss, the count since) goes into checkpoints as attributes, so
 * that a resumed run stops where an uninterrupted one would.
 */
final class EarlyStopping {
  private static final String VALIDATED_AT = TrainerCheckpoints.PREFIX + "validated_at";
  private static final String BEST = TrainerCheckpoints.PREFIX + "best_validation_bits";
  private static final String WITHOUT_IMPROVEMENT =
      TrainerCheckpoints.PREFIX + "validations_without_improvement";
  private static final String LAST = TrainerCheckpoints.PREFIX + "last_validation_bits";
  private static final String LOWEST = TrainerCheckpoints.PREFIX + "lowest_validation_bits";

  private final int patience;
  private final double minDelta;
  private double best = Double.POSITIVE_INFINITY;
  private int withoutImprovement;
  private long validatedAt = -1;
  // What was measured, whatever minDelta says: the last loss and the lowest.
  private double last = Double.NaN;
  private double lowest = Double.POSITIVE_INFINITY;

  EarlyStopping(int patience, double minDelta) {
    checkArgument(
        patience >= 1, "trainer: early stopping patience %s must be at least 1", patience);
    checkArgument(
        minDelta >= 0 && Double.isFinite(minDelta),
        "trainer: early stopping min delta %s must be finite and not negative",
        minDelta);
    this.patience = patience;
    this.minDelta = minDelta;
  }

  /** Records the validation loss measured at {@code step}; returns whether it is a new best. */
  boolean record(long step, double loss) {
    validatedAt = step;
    last = loss;
    lowest = Math.min(lowest, loss);
    if (loss < best - minDelta) {
      best = loss;
      withoutImprovement = 0;
      return true;
    }
    withoutImprovement++;
    return false;
  }

  /** Whether the loss was measured at {@code step} already. */
  boolean measuredAt(long step) {
    return validatedAt == step;
  }

  /** The last loss measured, NaN before the first. */
  double last() {
    return last;
  }

  /** The lowest loss measured, +∞ before the first. */
  double lowest() {
    return lowest;
  }

  boolean exhausted() {
    return withoutImprovement >= patience;
  }

  /**
   * What this knows, as checkpoint attributes; the best loss by its bits, so it comes back exactly.
   */
  Map<String, String> attributes() {
    return Map.of(
        VALIDATED_AT, Long.toString(validatedAt),
        BEST, bits(best),
        WITHOUT_IMPROVEMENT, Integer.toString(withoutImprovement),
        LAST, bits(last),
        LOWEST, bits(lowest));
  }

  private static String bits(double value) {
    return Long.toHexString(Double.doubleToRawLongBits(value));
  }

  private static double fromBits(String hex) {
    return Double.longBitsToDouble(Long.parseUnsignedLong(hex, 16));
  }

  /** Continues from {@link #attributes} saved with a checkpoint; from scratch if there are none. */
  void restore(Map<String, String> attributes) {
    if (attributes.containsKey(VALIDATED_AT)) {
      validatedAt = Long.parseLong(attributes.get(VALIDATED_AT));
      best = fromBits(attributes.get(BEST));
      withoutImprovement = Integer.parseInt(attributes.get(WITHOUT_IMPROVEMENT));
      // Checkpoints written before these two were kept know only the best.
      last = attributes.containsKey(LAST) ? fromBits(attributes.get(LAST)) : Double.NaN;
      lowest = attributes.containsKey(LOWEST) ? fromBits(attributes.get(LOWEST)) : best;
    }
  }
}
