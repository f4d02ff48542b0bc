package dev.rewind.autodiff.tensor;

import static com.google.common.base.Preconditions.checkArgument;

/** Sums and maxima, over all elements or along one axis. */
public final class Reductions {
  private Reductions() {}

  /** The sum of every element, as a scalar. */
  public static Tensor sum(Tensor t) {
    double total = 0;
    for (double value : t.data) {
      total += value;
    }
    return Tensor.scalar(total);
  }

  /** Sums along {@code axis}; with {@code keepDims} the axis stays with size 1. */
  public static Tensor sum(Tensor t, int axis, boolean keepDims) {
    Shape shape = t.shape();
    int outer = outerSize(shape, axis);
    int length = shape.dim(axis);
    int inner = innerSize(shape, axis);
    double[] out = new double[outer * inner];
    for (int o = 0; o < outer; o++) {
      for (int k = 0; k < length; k++) {
        int from = (o * length + k) * inner;
        int to = o * inner;
        for (int i = 0; i < inner; i++) {
          out[to + i] += t.data[from + i];
        }
      }
    }
    return new Tensor(keepDims ? shape.withDim(axis, 1) : shape.without(axis), out);
  }

  /** The largest element along {@code axis}, which stays with size 1. */
  public static Tensor maxKeepDims(Tensor t, int axis) {
    Shape shape = t.shape();
    int outer = outerSize(shape, axis);
    int length = shape.dim(axis);
    int inner = innerSize(shape, axis);
    checkArgument(length > 0, "max: axis %s of %s is empty", axis, shape);
    double[] out = new double[outer * inner];
    for (int o = 0; o < outer; o++) {
      System.arraycopy(t.data, o * length * inner, out, o * inner, inner);
      for (int k = 1; k < length; k++) {
        int from = (o * length + k) * inner;
        for (int i = 0; i < inner; i++) {
          out[o * inner + i] = Math.max(out[o * inner + i], t.data[from + i]);
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
    Shape shape = t.shape();
    checkArgument(target.broadcastsTo(shape), "sumTo: %s does not broadcast to %s", target, shape);
    Tensor result = t;
    int leading = shape.rank() - target.rank();
    for (int i = 0; i < leading; i++) {
      result = sum(result, 0, false);
    }
    for (int axis = 0; axis < target.rank(); axis++) {
      if (target.dim(axis) == 1 && result.shape().dim(axis) != 1) {
        result = sum(result, axis, true);
      }
    }
    return result.reshape(target);
  }

  /** The Euclidean norm of all elements, scaled to avoid overflow and underflow. */
  public static double norm(Tensor t) {
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
    checkArgument(a.size() == b.size(), "dot: %s and %s differ in size", a.shape(), b.shape());
    double total = 0;
    for (int i = 0; i < a.data.length; i++) {
      total += a.data[i] * b.data[i];
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
