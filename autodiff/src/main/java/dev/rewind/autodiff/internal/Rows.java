package dev.rewind.autodiff.internal;

import com.google.errorprone.annotations.CanIgnoreReturnValue;

/**
 * The row kernels of the softmax, on a range of a flat array: the maximum of a row and its softmax.
 * {@code Reductions} runs them row by row for the softmax and log-softmax, and {@link Columns} for
 * the log-probability of one column per row, so that the two give the same numbers.
 */
public final class Rows {
  private Rows() {}

  /**
   * Writes the softmax of {@code x[from, to)}, {@code e^(x − max) / Σ e^(x − max)}, into the same
   * range of {@code out}, and returns the sum {@code Σ e^(x − max)}: the log-softmax is then {@code
   * (x − max) − log(sum)}.
   */
  @CanIgnoreReturnValue
  public static double softmaxOfRow(double[] x, int from, int to, double max, double[] out) {
    double total = ElementaryFunctions.expAndSum(x, max, out, from, to);
    for (int i = from; i < to; i++) {
      out[i] /= total;
    }
    return total;
  }

  /** The maximum of {@code x[from, from + length)}, which holds at least one element. */
  public static double maxOfRow(double[] x, int from, int length) {
    // NOTE: four running maxima, not one: Math.max takes several cycles, and one chain of them made
    // the maximum cost two thirds of a softmax row's exponentials. The maximum of a set does not
    // depend on the order it is taken in (NaN wins, and 0.0 beats -0.0, either way).
    double max0 = x[from];
    double max1 = max0;
    double max2 = max0;
    double max3 = max0;
    int end = from + length;
    int i = from + 1;
    for (; i + 3 < end; i += 4) {
      max0 = Math.max(max0, x[i]);
      max1 = Math.max(max1, x[i + 1]);
      max2 = Math.max(max2, x[i + 2]);
      max3 = Math.max(max3, x[i + 3]);
    }
    for (; i < end; i++) {
      max0 = Math.max(max0, x[i]);
    }
    return Math.max(Math.max(max0, max1), Math.max(max2, max3));
  }
}
