package dev.rewind.datasets.batch;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * Masks of 0 and 1 over {@code [batch, time]}: a 1 marks a real step, a 0 a padded one. Padding is
 * always at the end, so a mask row is some ones followed by zeros.
 */
public final class Masks {
  private Masks() {}

  /** Every step real: a {@code [batch, time]} tensor of ones. */
  public static Tensor full(int batch, int time) {
    return Tensor.ones(batch, time);
  }

  /** Row {@code b} has {@code lengths[b]} ones followed by zeros, up to {@code time}. */
  public static Tensor ofLengths(int[] lengths, int time) {
    double[] mask = new double[lengths.length * time];
    for (int b = 0; b < lengths.length; b++) {
      checkArgument(
          lengths[b] >= 0 && lengths[b] <= time,
          "mask: length %s of sequence %s is outside [0, %s]",
          lengths[b],
          b,
          time);
      for (int t = 0; t < lengths[b]; t++) {
        mask[b * time + t] = 1.0;
      }
    }
    return Tensor.of(Shape.of(lengths.length, time), mask);
  }

  /**
   * The length of each row of a {@code [batch, time]} mask.
   *
   * @throws IllegalArgumentException if a row is not ones followed by zeros
   */
  public static int[] lengths(Tensor mask) {
    checkArgument(mask.rank() == 2, "mask: expected [batch, time] but got %s", mask.shape());
    int batch = mask.shape().dim(0);
    int time = mask.shape().dim(1);
    int[] lengths = new int[batch];
    for (int b = 0; b < batch; b++) {
      int length = 0;
      while (length < time && mask.get(b, length) == 1.0) {
        length++;
      }
      for (int t = length; t < time; t++) {
        checkArgument(
            mask.get(b, t) == 0.0,
            "mask: row %s is not ones then zeros: step %s holds %s after %s ones",
            b,
            t,
            mask.get(b, t),
            length);
      }
      lengths[b] = length;
    }
    return lengths;
  }
}
