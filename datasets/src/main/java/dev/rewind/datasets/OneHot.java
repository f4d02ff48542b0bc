package dev.rewind.datasets;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * One-hot encoding: index {@code i} of {@code classes} becomes a vector with a single 1 at position
 * {@code i}. Note 000 encodes the characters of "hello" this way; a matrix times a one-hot vector
 * picks out one column, which is what an embedding does.
 */
public final class OneHot {
  private OneHot() {}

  /** A {@code [indices.length, classes]} matrix: one row per index. */
  public static Tensor encode(int[] indices, int classes) {
    return Layout.oneHot(indices, classes);
  }

  /** A {@code [batch, time, classes]} tensor from a {@code [batch, time]} grid of indices. */
  public static Tensor encode(Indices indices, int classes) {
    return Layout.oneHot(indices.toArray(), classes);
  }

  /** A {@code [batch, time, classes]} tensor from rows of equal length. */
  public static Tensor encode(int[][] indices, int classes) {
    return Layout.oneHot(indices, classes);
  }

  /**
   * A multi-hot vector of {@code classes}: a 1 at each of {@code indices} (repeats allowed), as for
   * a target that is a set of classes.
   */
  public static double[] multiHot(int classes, int... indices) {
    double[] vector = new double[classes];
    for (int index : indices) {
      checkArgument(
          index >= 0 && index < classes,
          "multiHot: index %s is out of range [0, %s)",
          index,
          classes);
      vector[index] = 1.0;
    }
    return vector;
  }
}
