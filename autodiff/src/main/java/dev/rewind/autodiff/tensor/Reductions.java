package dev.rewind.autodiff.tensor;

import static com.google.common.base.Preconditions.checkArgument;
import static dev.rewind.autodiff.tensor.DType.isFloat32;

import dev.rewind.autodiff.internal.Buffers;
import dev.rewind.autodiff.internal.Rows;

/** Sums and maxima, over all elements or along one axis. */
public final class Reductions {
  private Reductions() {}

  /** The sum of every element, as a scalar. */
  public static Tensor sum(Tensor t) {
    if (isFloat32("sum", t)) return Reductions32.sum(t); // dtype dispatch
    double total = 0;
    for (double value : t.data) {
      total += value;
    }
    return Tensor.scalar(total);
  }

  /** Sums along {@code axis}; with {@code keepDims} the axis stays with size 1. */
  public static Tensor sum(Tensor t, int axis, boolean keepDims) {
    if (isFloat32("sum", t)) return Reductions32.sum(t, axis, keepDims); // dtype dispatch
    Shape shape = t.shape();
    axis = shape.axis(axis, "sum");
    int outer = outerSize(shape, axis);
    int length = shape.dim(axis);
    int inner = innerSize(shape, axis);
    double[] x = t.data;
    double[] out = Buffers.doubles(outer * inner);
    if (inner == 1) {
      for (int o = 0; o < outer; o++) {
        out[o] = sumOfRow(x, o * length, length);
      }
    } else {
      // Whole rows are added into the accumulator row, in increasing order along the axis.
      for (int o = 0; o < outer; o++) {
        int to = o * inner;
        for (int k = 0; k < length; k++) {
          int from = (o * length + k) * inner;
          for (int i = 0; i < inner; i++) {
            out[to + i] += x[from + i];
          }
        }
      }
    }
    return new Tensor(keepDims ? shape.withDim(axis, 1) : shape.without(axis), out);
  }

  /** The largest element along {@code axis}, which stays with size 1. */
  public static Tensor maxKeepDims(Tensor t, int axis) {
    if (isFloat32("maxKeepDims", t)) return Reductions32.maxKeepDims(t, axis); // dtype dispatch
    Shape shape = t.shape();
    axis = shape.axis(axis, "max");
    int outer = outerSize(shape, axis);
    int length = shape.dim(axis);
    int inner = innerSize(shape, axis);
    checkArgument(length > 0, "max: axis %s of %s is empty", axis, shape);
    double[] x = t.data;
    double[] out = Buffers.doubles(outer * inner);
    if (inner == 1) {
      for (int o = 0; o < outer; o++) {
        out[o] = Rows.maxOfRow(x, o * length, length);
      }
    } else {
      for (int o = 0; o < outer; o++) {
        int to = o * inner;
        System.arraycopy(x, o * length * inner, out, to, inner);
        for (int k = 1; k < length; k++) {
          int from = (o * length + k) * inner;
          for (int i = 0; i < inner; i++) {
            out[to + i] = Math.max(out[to + i], x[from + i]);
          }
        }
      }
    }
    return new Tensor(shape.withDim(axis, 1), out);
  }

  /**
   * Sums {@code t} down to {@code target}, a shape that broadcasts to {@code t}'s: the reverse of
   * broadcasting, and so the gradient of it.
   */
  public static Tensor sumTo(Tensor t, Shape target) {
    if (isFloat32("sumTo", t)) return Reductions32.sumTo(t, target); // dtype dispatch
    Shape shape = t.shape();
    checkArgument(target.broadcastsTo(shape), "sumTo: %s does not broadcast to %s", target, shape);
    // Each summed axis is its own pass, outermost first, and only the first reads all of t: the
    // later ones read what is left. Axes of size 1 need no pass, as a reshape drops them.
    int leading = shape.rank() - target.rank();
    Tensor result = t;
    for (int axis = 0; axis < shape.rank(); axis++) {
      boolean summed = axis < leading || target.dim(axis - leading) == 1;
      if (summed && shape.dim(axis) != 1) {
        result = sum(result, axis, true);
      }
    }
    return result.reshape(target);
  }

  /**
   * {@code log softmax} along {@code axis}: {@code (x - m) - log Σ e^(x - m)} with {@code m} the
   * maximum along the axis, so that logits of ±1000 stay finite.
   */
  public static Tensor logSoftmax(Tensor t, int axis) {
    if (isFloat32("logSoftmax", t)) return Reductions32.logSoftmax(t, axis); // dtype dispatch
    return logSoftmaxWithSoftmax(t, axis).logProbabilities();
  }

  /**
   * {@code log softmax} along {@code axis}, and the softmax itself from the same exponentials: the
   * backward pass of log-softmax needs {@code e^y}, and this spares it one exponential per element.
   */
  public static SoftmaxPair logSoftmaxWithSoftmax(Tensor t, int axis) {
    if (isFloat32("logSoftmaxWithSoftmax", t))
      return Reductions32.logSoftmaxWithSoftmax(t, axis); // dtype dispatch
    Shape shape = t.shape();
    axis = shape.axis(axis, "logSoftmax");
    checkArgument(shape.dim(axis) > 0, "logSoftmax: axis %s of %s is empty", axis, shape);
    if (innerSize(shape, axis) != 1) {
      Tensor shifted = Pointwise.sub(t, maxKeepDims(t, axis));
      Tensor log = Pointwise.sub(shifted, Pointwise.log(sum(Pointwise.exp(shifted), axis, true)));
      return new SoftmaxPair(log, Pointwise.exp(log));
    }
    int length = shape.dim(axis);
    double[] x = t.data;
    double[] out = Buffers.doubles(x.length);
    double[] probabilities = Buffers.doubles(x.length);
    for (int from = 0; from < x.length; from += length) {
      int to = from + length;
      double max = Rows.maxOfRow(x, from, length);
      double logTotal = Math.log(Rows.softmaxOfRow(x, from, to, max, probabilities));
      for (int i = from; i < to; i++) {
        out[i] = (x[i] - max) - logTotal;
      }
    }
    return new SoftmaxPair(new Tensor(shape, out), new Tensor(shape, probabilities));
  }

  /**
   * {@code softmax} along {@code axis}: {@code e^(x - m) / Σ e^(x - m)} with {@code m} the maximum
   * along the axis, so that logits of ±1000 stay finite.
   */
  public static Tensor softmax(Tensor t, int axis) {
    if (isFloat32("softmax", t)) return Reductions32.softmax(t, axis); // dtype dispatch
    Shape shape = t.shape();
    axis = shape.axis(axis, "softmax");
    checkArgument(shape.dim(axis) > 0, "softmax: axis %s of %s is empty", axis, shape);
    if (innerSize(shape, axis) != 1) {
      Tensor exponentials = Pointwise.exp(Pointwise.sub(t, maxKeepDims(t, axis)));
      return Pointwise.div(exponentials, sum(exponentials, axis, true));
    }
    int length = shape.dim(axis);
    double[] x = t.data;
    double[] out = Buffers.doubles(x.length);
    for (int from = 0; from < x.length; from += length) {
      int to = from + length;
      Rows.softmaxOfRow(x, from, to, Rows.maxOfRow(x, from, length), out);
    }
    return new Tensor(shape, out);
  }

  /** The Euclidean norm of all elements, scaled to avoid overflow and underflow. */
  public static double norm(Tensor t) {
    if (isFloat32("norm", t)) return Reductions32.norm(t); // dtype dispatch
    double largest = 0;
    for (double value : t.data) {
      largest = Math.max(largest, Math.abs(value));
    }
    if (largest == 0 || !Double.isFinite(largest)) {
      return largest;
    }
    double sumOfSquares = 0;
    for (double value : t.data) {
      double scaled = value / largest;
      sumOfSquares += scaled * scaled;
    }
    return largest * Math.sqrt(sumOfSquares);
  }

  /** The sum of elementwise products of two tensors of equal size. */
  public static double dot(Tensor a, Tensor b) {
    if (isFloat32("dot", a, b)) return Reductions32.dot(a, b); // dtype dispatch
    checkArgument(a.size() == b.size(), "dot: %s and %s differ in size", a.shape(), b.shape());
    double total = 0;
    for (int i = 0; i < a.data.length; i++) {
      total += a.data[i] * b.data[i];
    }
    return total;
  }

  private static double sumOfRow(double[] x, int from, int length) {
    double total = 0;
    for (int i = from; i < from + length; i++) {
      total += x[i];
    }
    return total;
  }

  static int outerSize(Shape shape, int axis) {
    int size = 1;
    for (int i = 0; i < axis; i++) {
      size *= shape.dim(i);
    }
    return size;
  }

  static int innerSize(Shape shape, int axis) {
    int size = 1;
    for (int i = axis + 1; i < shape.rank(); i++) {
      size *= shape.dim(i);
    }
    return size;
  }
}
