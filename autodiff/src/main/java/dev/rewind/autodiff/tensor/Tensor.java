package dev.rewind.autodiff.tensor;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import dev.rewind.autodiff.internal.TensorArrays;
import java.util.Arrays;
import java.util.Random;

/**
 * An immutable dense array of {@code double} ({@link DType#FLOAT64}, the default) or {@code float}
 * ({@link DType#FLOAT32}), stored row-major. Tensors are values: every operation returns a new
 * tensor, and two tensors are {@link #equals equal} when their shapes and elements are (and their
 * dtypes). Element accessors read either dtype as {@code double}. Arithmetic lives in the kernel
 * classes of this package ({@link Pointwise}, {@link MatMul}, {@link Reductions}, {@link Layout});
 * differentiable arithmetic lives on {@code Var}.
 */
public final class Tensor {
  static {
    // The kernels of dev.rewind.autodiff.internal read and wrap arrays as this package's do.
    TensorArrays.install(new ArrayAccess());
  }

  private final Shape shape;
  // NOTE: never exposed and never written after construction; kernels in this package and in
  // dev.rewind.autodiff.internal (through TensorArrays) read them. Exactly one is non-null: data
  // for float64, floats for float32 (the generated kernels read floats where these read data).
  final double[] data;
  final float[] floats;

  /** Wraps {@code data} without copying; only kernels that just allocated it may call this. */
  Tensor(Shape shape, double[] data) {
    checkSize(shape, data.length);
    this.shape = shape;
    this.data = data;
    this.floats = null;
  }

  /** Wraps float32 {@code data} without copying; only kernels that just allocated it. */
  Tensor(Shape shape, float[] data) {
    checkSize(shape, data.length);
    this.shape = shape;
    this.data = null;
    this.floats = data;
  }

  private static void checkSize(Shape shape, int length) {
    checkArgument(
        shape.size() == length,
        "tensor: shape %s holds %s elements but %s values were given",
        shape,
        shape.size(),
        length);
  }

  /** A tensor of {@code shape} holding a copy of {@code values} in row-major order. */
  public static Tensor of(Shape shape, double... values) {
    return new Tensor(shape, values.clone());
  }

  /**
   * A tensor of {@code shape} and {@code dtype} holding {@code values} in row-major order, each
   * rounded once to a float for float32: one copy, where {@code of(shape, values).to(dtype)} makes
   * two.
   */
  public static Tensor of(Shape shape, DType dtype, double... values) {
    return dtype == DType.FLOAT32 ? new Tensor(shape, narrowed(values)) : of(shape, values);
  }

  private static float[] narrowed(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }

  /** A float32 tensor of {@code shape} holding a copy of {@code values} in row-major order. */
  public static Tensor ofFloats(Shape shape, float... values) {
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

  /** Zeros of {@code shape} in {@code dtype}. */
  public static Tensor zeros(Shape shape, DType dtype) {
    return dtype == DType.FLOAT32 ? new Tensor(shape, new float[shape.size()]) : zeros(shape);
  }

  /** {@code value} at every element of {@code shape}, in {@code dtype}. */
  public static Tensor full(Shape shape, double value, DType dtype) {
    return full(shape, value).to(dtype);
  }

  /** Zeros of {@code t}'s shape and dtype. */
  public static Tensor zerosLike(Tensor t) {
    return zeros(t.shape, t.dtype());
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

  public DType dtype() {
    return floats != null ? DType.FLOAT32 : DType.FLOAT64;
  }

  /**
   * This tensor in {@code dtype}: itself if it already is; float64 to float32 rounds each element
   * to the nearest float, float32 to float64 is exact.
   */
  public Tensor to(DType dtype) {
    if (dtype == dtype()) {
      return this;
    }
    if (dtype == DType.FLOAT32) {
      return new Tensor(shape, narrowed(data));
    }
    double[] out = new double[floats.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = floats[i];
    }
    return new Tensor(shape, out);
  }

  public int rank() {
    return shape.rank();
  }

  public int size() {
    // The array's length, not shape.size(), which multiplies the dimensions on every call: element
    // loops (getFlat's index check among them) ask for it once per element.
    return data != null ? data.length : floats.length;
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
    return element(flat);
  }

  /** The element at a row-major flat position. */
  public double getFlat(int position) {
    checkElementIndex(position, size(), "getFlat: position");
    return element(position);
  }

  /** The only element of a one-element tensor, such as a loss. */
  public double item() {
    checkState(size() == 1, "item: tensor of shape %s has %s elements, not 1", shape, size());
    return element(0);
  }

  /** The element at a row-major flat position, unchecked: for this package's own loops. */
  double element(int position) {
    return data != null ? data[position] : floats[position];
  }

  /** A copy of the elements in row-major order, as doubles whatever the dtype. */
  public double[] toArray() {
    return data != null ? data.clone() : to(DType.FLOAT64).data;
  }

  /**
   * A copy of a float32 tensor's elements in row-major order.
   *
   * @throws IllegalStateException for a float64 tensor: convert it with {@link #to(DType)} first
   */
  public float[] toFloatArray() {
    checkState(
        floats != null,
        "toFloatArray: tensor of shape %s is float64; convert it with to(DType.FLOAT32) first",
        shape);
    return floats.clone();
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
    return data != null ? new Tensor(newShape, data) : new Tensor(newShape, floats);
  }

  /** A copy with the element at row-major {@code position} replaced, as finite differences need. */
  public Tensor withFlat(int position, double value) {
    checkElementIndex(position, size(), "withFlat: position");
    if (floats != null) {
      float[] copy = floats.clone();
      copy[position] = (float) value;
      return new Tensor(shape, copy);
    }
    double[] copy = data.clone();
    copy[position] = value;
    return new Tensor(shape, copy);
  }

  /** Whether every element is neither NaN nor infinite. */
  public boolean isFinite() {
    if (floats != null) {
      for (float value : floats) {
        if (!Float.isFinite(value)) {
          return false;
        }
      }
      return true;
    }
    for (double value : data) {
      if (!Double.isFinite(value)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the shapes are equal and every pair of elements satisfies {@code |a - b| <= atol + rtol
   * * |b|}, NumPy's {@code allclose}. NaNs are never close. The dtypes may differ: elements are
   * compared as doubles.
   */
  public boolean allClose(Tensor other, double rtol, double atol) {
    if (!shape.equals(other.shape)) {
      return false;
    }
    for (int i = 0; i < size(); i++) {
      double a = element(i);
      double b = other.element(i);
      if (!(Math.abs(a - b) <= atol + rtol * Math.abs(b))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Dtype, shape and elements equal, compared as {@link Double#equals} does (so NaN equals NaN).
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof Tensor other
        && shape.equals(other.shape)
        && Arrays.equals(data, other.data)
        && Arrays.equals(floats, other.floats);
  }

  @Override
  public int hashCode() {
    return 31 * shape.hashCode() + (data != null ? Arrays.hashCode(data) : Arrays.hashCode(floats));
  }

  /**
   * Small tensors print in full, nested like NumPy; large ones print their shape and first values.
   * A float32 tensor says so after its shape.
   */
  @Override
  public String toString() {
    return TensorPrinter.print(this);
  }
}
