package dev.rewind.train;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Stops training when the validation loss has not fallen below its best by more than {@code
 * minDelta} for {@code patience} validations in a row (Keras' {@code EarlyStopping}).
 */
final class EarlyStopping {
  private final int patience;
  private final double minDelta;
  private double best = Double.POSITIVE_INFINITY;
  private int withoutImprovement;

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

  /** Records a validation loss; returns whether it is a new best. */
  boolean record(double loss) {
    if (loss < best - minDelta) {
      best = loss;
      withoutImprovement = 0;
      return true;
    }
    withoutImprovement++;
    return false;
  }

  boolean exhausted() {
    return withoutImprovement >= patience;
  }

  /** The lowest loss recorded, or +∞ before the first. */
  double best() {
    return best;
  }

  /** The validations in a row since the best one. */
  int withoutImprovement() {
    return withoutImprovement;
  }

  /** Continues from a best loss and count saved with a checkpoint. */
  void restore(double best, int withoutImprovement) {
    this.best = best;
    this.withoutImprovement = withoutImprovement;
  }
}
