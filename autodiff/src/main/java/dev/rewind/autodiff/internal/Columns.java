package dev.rewind.autodiff.internal;

import static com.google.common.base.Preconditions.checkArgument;
import static dev.rewind.autodiff.tensor.DType.isFloat32;

import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * Kernels that read or write one column per row of a matrix: the target's log-probability of each
 * row, and its gradient, without a one-hot mask the size of the logits.
 */
public final class Columns {
  private Columns() {}

  /** {@code out[n] = m[n, columns[n]]} for a matrix {@code [N, C]} and {@code N} columns. */
  public static Tensor pick(Tensor m, int[] columns) {
    if (isFloat32("pick", m)) return Columns32.pick(m, columns); // dtype dispatch
    checkColumns("pick", m.shape(), columns);
    int width = m.shape().dim(1);
    double[] x = TensorArrays.array(m);
    double[] out = Buffers.doubles(columns.length);
    for (int n = 0; n < columns.length; n++) {
      out[n] = x[n * width + columns[n]];
    }
    return TensorArrays.wrap(Shape.of(columns.length), out);
  }

  /** The {@code [N, width]} matrix of zeros with {@code v[n]} at column {@code columns[n]}. */
  public static Tensor place(Tensor v, int[] columns, int width) {
    if (isFloat32("place", v)) return Columns32.place(v, columns, width); // dtype dispatch
    Shape matrix = Shape.of(columns.length, width);
    checkColumns("place", matrix, columns);
    checkArgument(
        v.shape().equals(Shape.of(columns.length)),
        "place: values %s do not fit %s columns",
        v.shape(),
        columns.length);
    double[] values = TensorArrays.array(v);
    double[] out = Buffers.doubles(columns.length * width);
    for (int n = 0; n < columns.length; n++) {
      out[n * width + columns[n]] = values[n];
    }
    return TensorArrays.wrap(matrix, out);
  }

  /**
   * {@code logSoftmax(m)[n, columns[n]]} for each row of {@code m [N, C]}, and the softmax of every
   * row, which its gradient needs: the same numbers as {@code pick(logSoftmax(m), columns)},
   * without the {@code [N, C]} log-probabilities.
   */
  public static PickedLogSoftmax pickLogSoftmax(Tensor m, int[] columns) {
    if (isFloat32("pickLogSoftmax", m))
      return Columns32.pickLogSoftmax(m, columns); // dtype dispatch
    checkColumns("pickLogSoftmax", m.shape(), columns);
    int width = m.shape().dim(1);
    double[] x = TensorArrays.array(m);
    double[] picked = Buffers.doublesToOverwrite(columns.length);
    double[] probabilities = Buffers.doublesToOverwrite(x.length);
    for (int n = 0; n < columns.length; n++) {
      int from = n * width;
      double max = Rows.maxOfRow(x, from, width);
      double total = Rows.softmaxOfRow(x, from, from + width, max, probabilities);
      picked[n] = (x[from + columns[n]] - max) - Math.log(total);
    }
    return new PickedLogSoftmax(
        TensorArrays.wrap(Shape.of(columns.length), picked),
        TensorArrays.wrap(m.shape(), probabilities));
  }

  /**
   * The gradient of {@link #pickLogSoftmax} with respect to the logits: {@code g[n] (δ(c,
   * columns[n]) − p[n, c])}, for {@code g [N]} and the softmax {@code p [N, C]}.
   */
  public static Tensor pickLogSoftmaxBackward(Tensor g, Tensor probabilities, int[] columns) {
    if (isFloat32("pickLogSoftmaxBackward", g, probabilities))
      return Columns32.pickLogSoftmaxBackward(g, probabilities, columns); // dtype dispatch
    checkColumns("pickLogSoftmaxBackward", probabilities.shape(), columns);
    int width = probabilities.shape().dim(1);
    double[] p = TensorArrays.array(probabilities);
    double[] up = TensorArrays.array(g);
    double[] out = Buffers.doublesToOverwrite(p.length);
    for (int n = 0; n < columns.length; n++) {
      double gradient = up[n];
      int from = n * width;
      for (int i = from; i < from + width; i++) {
        out[i] = -(p[i] * gradient);
      }
      int target = from + columns[n];
      out[target] = gradient - p[target] * gradient;
    }
    return TensorArrays.wrap(probabilities.shape(), out);
  }

  /**
   * Throws, naming the kernel, the shape and the offending column, unless {@code matrix} is {@code
   * [columns.length, C]} and every column is in {@code [0, C)}.
   */
  public static void checkColumns(String name, Shape matrix, int[] columns) {
    checkArgument(
        matrix.rank() == 2 && matrix.dim(0) == columns.length,
        "%s: %s columns for a matrix %s: expected one per row of a [N, C] matrix",
        name,
        columns.length,
        matrix);
    for (int n = 0; n < columns.length; n++) {
      if (columns[n] < 0 || columns[n] >= matrix.dim(1)) {
        throw new IllegalArgumentException(
            String.format(
                "%s: column %s of row %s is out of range [0, %s) for %s",
                name, columns[n], n, matrix.dim(1), matrix));
      }
    }
  }
}
