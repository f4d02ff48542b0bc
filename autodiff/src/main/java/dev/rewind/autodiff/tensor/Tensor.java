package dev.rewind.autodiff.tensor;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import com.google.common.base.Verify;
import dev.rewind.autodiff.internal.TensorArrays;
import java.util.Arrays;
import java.util.Random;

/**
 * An immutable dense array of {@code double}, stored row-major. Tensors are values: every operation
 * returns a new tensor, and two tensors are {@link #equals equal} when their shapes and elements
 * are. Arithmetic lives in the kernel classes of this package ({@link Pointwise}, {@link MatMul},
 * {@link Reductions}, {@link Layout}); differentiable arithmetic lives on {@code Var}.
 */
public final class Tensor {
  private static final int PRINTED_ELEMENTS = 64;

  static {
    // The kernels of dev.rewind.autodiff.internal read and wrap arrays as this package's do.
    TensorArrays.install(
        new TensorArrays.Access() {
          @Override
          public double[] array(Tensor t) {
            return t.data;
          }

          @Override
          public Tensor wrap(Shape shape, double[] data) {
            return new Tensor(shape, data);
          }

          @Override
          public void affineInto(Tensor x, Tensor w, Tensor b, double[] out) {
            MatMul.affineInto(x, w, b, out);
          }

          @Override
          public void addBias(Tensor b, double[] out) {
            MatMul.addBias(b, out);
          }
        });
  }

  private final Shape shape;
  // NOTE: never exposed and never written after construction; kernels in this package and in
  // dev.rewind.autodiff.internal (through TensorArrays) read it.
  final double[] data;

  /** Wraps {@code data} without copying; only kernels that just allocated it may call this. */
  Tensor(Shape shape, double[] data) {
    checkArgument(
        shape.size() == data.length,
        "tensor: shape %s holds %s elements but %s values were given",
        shape,
        shape.size(),
        data.length);
    this.shape = shape;
    this.data = data;
  }

  /** A tensor of {@code shape} holding a copy of {@code values} in row-major order. */
  public static Tensor of(Shape shape, double... values) {
    return new Tensor(shape, values.clone());
  }

  public static Tensor scalar(double value) {
    return new Tensor(Shape.SCALAR, new double[] {value});
  }

  /** A rank-1 tensor holding a copy of {@code values}. */
  public static Tensor vector(double... values) {
    return new Tensor(Shape.of(values.length), values.clone());
  }

  /** A rank-2 tensor from rows of equal length. */
  public static Tensor matrix(double[][] rows) {
    int columns = rows.length == 0 ? 0 : rows[0].length;
    double[] data = new double[rows.length * columns];
    for (int i = 0; i < rows.length; i++) {
      checkArgument(
          rows[i].length == columns,
          "matrix: row %s has %s columns but row 0 has %s",
          i,
          rows[i].length,
          columns);
      System.arraycopy(rows[i], 0, data, i * columns, columns);
    }
    return new Tensor(Shape.of(rows.length, columns), data);
  }

  /** A rank-3 tensor from matrices of equal shape, such as a batch of sequences. */
  public static Tensor of(double[][][] blocks) {
    if (blocks.length == 0) {
      return zeros(0, 0, 0);
    }
    Tensor first = matrix(blocks[0]);
    double[] data = new double[blocks.length * first.size()];
    for (int b = 0; b < blocks.length; b++) {
      Tensor block = matrix(blocks[b]);
      checkArgument(
          block.shape.equals(first.shape),
          "tensor: block %s has shape %s but block 0 has %s",
          b,
          block.shape,
          first.shape);
      System.arraycopy(block.data, 0, data, b * first.size(), first.size());
    }
    return new Tensor(first.shape.inserting(0, blocks.length), data);
  }

  public static Tensor zeros(int... dims) {
    return zeros(Shape.of(dims));
  }

  public static Tensor zeros(Shape shape) {
    return new Tensor(shape, new double[shape.size()]);
  }

  public static Tensor ones(int... dims) {
    return full(Shape.of(dims), 1.0);
  }

  public static Tensor ones(Shape shape) {
    return full(shape, 1.0);
  }

  public static Tensor full(Shape shape, double value) {
    double[] data = new double[shape.size()];
    Arrays.fill(data, value);
    return new Tensor(shape, data);
  }

  /** Samples from a normal distribution; the same {@code random} state gives the same tensor. */
  public static Tensor randomNormal(Shape shape, double mean, double std, Random random) {
    double[] data = new double[shape.size()];
    for (int i = 0; i < data.length; i++) {
      data[i] = mean + std * random.nextGaussian();
    }
    return new Tensor(shape, data);
  }

  /**
   * Samples uniformly from {@code [low, high)}; the same {@code random} state gives the same
   * tensor.
   */
  public static Tensor randomUniform(Shape shape, double low, double high, Random random) {
    checkArgument(low <= high, "randomUniform: low %s is above high %s", low, high);
    double[] data = new double[shape.size()];
    for (int i = 0; i < data.length; i++) {
      data[i] = low + (high - low) * random.nextDouble();
    }
    return new Tensor(shape, data);
  }

  /**
   * An inverted-dropout mask: each element is 0 with probability {@code p} and {@code 1 / (1 - p)}
   * otherwise, drawn in row-major order, one {@code random.nextDouble()} per element, so the same
   * {@code random} state gives the same mask. With {@code p = 1} every element is 0 and nothing is
   * drawn, as PyTorch's {@code F.dropout} gives zeros then.
   *
   * @throws IllegalArgumentException unless {@code 0 <= p <= 1}
   */
  public static Tensor dropoutMask(Shape shape, double p, Random random) {
    checkArgument(p >= 0 && p <= 1, "dropout: p = %s must be in [0, 1]", p);
    checkNotNull(random, "dropout: the random generator is null");
    double[] data = new double[shape.size()];
    if (p < 1) {
      double scale = 1.0 / (1.0 - p);
      for (int i = 0; i < data.length; i++) {
        data[i] = random.nextDouble() < p ? 0.0 : scale;
      }
    }
    return new Tensor(shape, data);
  }

  public Shape shape() {
    return shape;
  }

  public int rank() {
    return shape.rank();
  }

  public int size() {
    return data.length;
  }

  /** The element at a full index, one coordinate per axis. */
  public double get(int... index) {
    checkArgument(
        index.length == rank(),
        "get: index %s has %s coordinates but the tensor has shape %s",
        Arrays.toString(index),
        index.length,
        shape);
    int flat = 0;
    for (int axis = 0; axis < index.length; axis++) {
      checkElementIndex(index[axis], shape.dim(axis), "get: coordinate on axis " + axis);
      flat = flat * shape.dim(axis) + index[axis];
    }
    return data[flat];
  }

  /** The element at a row-major flat position. */
  public double getFlat(int position) {
    checkElementIndex(position, data.length, "getFlat: position");
    return data[position];
  }

  /** The only element of a one-element tensor, such as a loss. */
  public double item() {
    checkState(data.length == 1, "item: tensor of shape %s has %s elements, not 1", shape, size());
    return data[0];
  }

  /** A copy of the elements in row-major order. */
  public double[] toArray() {
    return data.clone();
  }

  /** The same elements under another shape of the same size; no copy is made. */
  public Tensor reshape(Shape newShape) {
    checkArgument(
        newShape.size() == size(),
        "reshape: %s to %s: sizes %s and %s differ",
        shape,
        newShape,
        size(),
        newShape.size());
    return new Tensor(newShape, data);
  }

  /** A copy with the element at row-major {@code position} replaced, as finite differences need. */
  public Tensor withFlat(int position, double value) {
    checkElementIndex(position, data.length, "withFlat: position");
    double[] copy = data.clone();
    copy[position] = value;
    return new Tensor(shape, copy);
  }

  /** Whether every element is neither NaN nor infinite. */
  public boolean isFinite() {
    for (double value : data) {
      if (!Double.isFinite(value)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the shapes are equal and every pair of elements satisfies {@code |a - b| <= atol + rtol
   * * |b|}, NumPy's {@code allclose}. NaNs are never close.
   */
  public boolean allClose(Tensor other, double rtol, double atol) {
    if (!shape.equals(other.shape)) {
      return false;
    }
    for (int i = 0; i < data.length; i++) {
      if (!(Math.abs(data[i] - other.data[i]) <= atol + rtol * Math.abs(other.data[i]))) {
        return false;
      }
    }
    return true;
  }

  /** Shape and elements equal, compared as {@link Double#equals} does (so NaN equals NaN). */
  @Override
  public boolean equals(Object o) {
    return o instanceof Tensor other
        && shape.equals(other.shape)
        && Arrays.equals(data, other.data);
  }

  @Override
  public int hashCode() {
    return 31 * shape.hashCode() + Arrays.hashCode(data);
  }

  /**
   * Small tensors print in full, nested like NumPy; large ones print their shape and first values.
   */
  @Override
  public String toString() {
    if (size() > PRINTED_ELEMENTS) {
      StringBuilder head = new StringBuilder("Tensor" + shape + " [");
      for (int i = 0; i < 8; i++) {
        head.append(i == 0 ? "" : ", ").append(format(data[i]));
      }
      return head.append(", ...]").toString();
    }
    StringBuilder out = new StringBuilder("Tensor" + shape + " ");
    int end = appendNested(out, 0, 0);
    Verify.verify(end == data.length, "printed %s of %s elements", end, data.length);
    return out.toString();
  }

  private int appendNested(StringBuilder out, int axis, int position) {
    if (axis == rank()) {
      out.append(format(data[position]));
      return position + 1;
    }
    out.append('[');
    for (int i = 0; i < shape.dim(axis); i++) {
      out.append(i == 0 ? "" : ", ");
      position = appendNested(out, axis + 1, position);
    }
    out.append(']');
    return position;
  }

  /**
   * Six significant digits without trailing zeros: {@code 7}, {@code -1.5}, {@code 3.33333e-07}.
   */
  private static String format(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return String.valueOf((long) value);
    }
    String text = String.format(java.util.Locale.ROOT, "%.6g", value);
    int exponent = text.indexOf('e');
    String mantissa = exponent < 0 ? text : text.substring(0, exponent);
    if (mantissa.contains(".")) {
      mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return exponent < 0 ? mantissa : mantissa + text.substring(exponent);
  }
}
