package dev.rewind.autodiff.tensor;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import dev.rewind.autodiff.internal.Buffers;
import dev.rewind.autodiff.internal.SparseLeft;

/**
 * The running sum of the gradients that reach one value during a backward pass: what a value used
 * several times (a weight at every time step, a hidden state read by the next step and by the
 * output) accumulates. From the third contribution on it adds in place into an array of its own,
 * where a chain of {@code add}s would allocate a new tensor for each; a slice's gradient adds into
 * its region without first being padded to the full shape with zeros.
 *
 * <p>The one mutable thing in this package: it never writes to a tensor it was given, only to its
 * own array, and hands that array over once, in {@link #result}. It is public because it is the
 * parameter of {@code Op.backwardInPlace}, the protected fast path that an op of one's own may
 * override.
 */
public final class GradientSum {
  private final Shape shape;
  // The only contribution so far; not ours to write to.
  private Tensor single;
  // Ours, once there have been two contributions or a slice.
  private double[] sum;
  private Tensor result;
  // The short products aᵀ b waiting to be added to the sum as one; null for a small sum.
  private final StackedProducts stacked;
  // float64 only: begin
  // The sum of float32 gradients, to which every method hands over; null for float64.
  private final GradientSum32 float32Sum;

  /** An empty float64 sum for a value of {@code shape}. */
  public GradientSum(Shape shape) {
    this(shape, DType.FLOAT64);
  }

  /**
   * An empty sum for a value of {@code shape} and {@code dtype}, which every gradient must have.
   */
  public GradientSum(Shape shape, DType dtype) {
    this.shape = shape;
    // A float32 sum hands every product to its own, which stacks them.
    this.stacked = dtype == DType.FLOAT32 ? null : StackedProducts.forSum(shape);
    this.float32Sum = dtype == DType.FLOAT32 ? new GradientSum32(shape) : null;
  }

  // float64 only: end
  // float32 only: GradientSum(Shape shape) {
  // float32 only:   this.shape = shape;
  // float32 only:   this.stacked = StackedProducts.forSum(shape);
  // float32 only: }

  /** Adds a gradient of the full shape. */
  public void add(Tensor gradient) {
    // float64 only: begin
    if (float32Sum != null) {
      float32Sum.add(gradient);
      return;
    }
    // float64 only: end
    checkOpen();
    checkDType(gradient);
    checkShape(gradient);
    if (sum == null && single == null) {
      single = gradient;
      return;
    }
    double[] into = settled();
    double[] from = gradient.data;
    for (int i = 0; i < into.length; i++) {
      into[i] += from[i];
    }
  }

  /**
   * Adds a gradient of the full shape that the caller may overwrite once this returns (it lives in
   * a scratch array): the same as {@link #add}, but never kept, so an empty sum takes a copy.
   */
  public void addCopy(Tensor gradient) {
    // float64 only: begin
    if (float32Sum != null) {
      float32Sum.addCopy(gradient);
      return;
    }
    // float64 only: end
    if (isEmpty()) {
      checkOpen();
      checkDType(gradient);
      checkShape(gradient);
      sum = copyOf(gradient.data);
    } else {
      add(gradient);
    }
  }

  /**
   * Adds the gradient of the slice {@code [start, start + length)} along {@code axis}, where {@code
   * length} is that axis of {@code gradient}: the same as adding it padded with zeros.
   */
  public void addSlice(Tensor gradient, int axis, int start) {
    // float64 only: begin
    if (float32Sum != null) {
      float32Sum.addSlice(gradient, axis, start);
      return;
    }
    // float64 only: end
    checkOpen();
    checkDType(gradient);
    Shape part = gradient.shape();
    int length = part.dim(axis);
    checkArgument(
        part.rank() == shape.rank()
            && part.equals(shape.withDim(axis, length))
            && start >= 0
            && start + length <= shape.dim(axis),
        "gradient sum: a slice gradient %s at %s along axis %s for a value of shape %s",
        part,
        start,
        axis,
        shape);
    double[] into = settled();
    int outer = Reductions.outerSize(shape, axis);
    int inner = Reductions.innerSize(shape, axis);
    int block = length * inner;
    int stride = shape.dim(axis) * inner;
    double[] from = gradient.data;
    for (int o = 0; o < outer; o++) {
      int to = o * stride + start * inner;
      int at = o * block;
      for (int i = 0; i < block; i++) {
        into[to + i] += from[at + i];
      }
    }
  }

  /**
   * Adds the product {@code op(a) op(b)} (see {@link MatMul#matmul(Tensor, Tensor, boolean,
   * boolean)}), computed straight into the sum: a weight's gradient at one time step is never a
   * tensor of its own.
   */
  public void addProduct(Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
    // float64 only: begin
    if (float32Sum != null) {
      float32Sum.addProduct(a, b, transposeA, transposeB);
      return;
    }
    // float64 only: end
    checkOpen();
    checkDType(a);
    checkDType(b);
    Shape product = MatMul.productShape(a.shape(), b.shape(), transposeA, transposeB);
    checkArgument(
        product.equals(shape),
        "gradient sum: a product of shape %s for a value of shape %s",
        product,
        shape);
    if (stacked != null && stacked.takes(a, b, transposeA, transposeB)) {
      stacked.add(a, b, own());
    } else {
      MatMul.multiplyAdd(a, b, transposeA, transposeB, settled());
    }
  }

  /**
   * Adds {@code aᵀ b} for the matrix {@code a} whose non-zeros are given: the same numbers as
   * {@code addProduct(a, b, true, false)}, without looking for them again. The non-zeros come from
   * {@code dev.rewind.autodiff.internal}, so only the ops of {@code autodiff} call this.
   */
  public void addTransposedProduct(SparseLeft a, Tensor b) {
    // float64 only: begin
    if (float32Sum != null) {
      throw new IllegalStateException("gradient sum: a float32 sum takes no SparseLeft product");
    }
    // float64 only: end
    checkOpen();
    checkDType(b);
    Shape product = Shape.of(a.columns(), b.shape().dim(-1));
    checkArgument(
        b.shape().rank() == 2 && b.shape().dim(0) == a.rows() && product.equals(shape),
        "gradient sum: the product of a [%s, %s]ᵀ and b %s for a value of shape %s",
        a.rows(),
        a.columns(),
        b.shape(),
        shape);
    a.multiplyTransposedAdd(b.data, b.shape().dim(1), settled());
  }

  /** Whether no element of the sum so far is NaN or infinite. */
  public boolean isFinite() {
    if (float32Sum != null) return float32Sum.isFinite(); // dtype dispatch
    for (double value : values()) {
      if (!Double.isFinite(value)) {
        return false;
      }
    }
    return true;
  }

  /** Whether some element of the sum so far is NaN. */
  public boolean containsNaN() {
    if (float32Sum != null) return float32Sum.containsNaN(); // dtype dispatch
    for (double value : values()) {
      if (Double.isNaN(value)) {
        return true;
      }
    }
    return false;
  }

  private double[] values() {
    return sum != null ? settled() : single != null ? single.data : new double[0];
  }

  /** Whether any gradient has been added. */
  public boolean isEmpty() {
    if (float32Sum != null) return float32Sum.isEmpty(); // dtype dispatch
    return single == null && sum == null;
  }

  /**
   * The one gradient added so far, which the sum holds as given, without a copy; null if there is
   * none or the sum has an array of its own. A backward pass asks it to tell whether a gradient it
   * passed on is still held.
   */
  public Tensor uncopied() {
    if (float32Sum != null) return float32Sum.uncopied(); // dtype dispatch
    return sum == null ? single : null;
  }

  /** The sum; after this, the sum takes no more gradients. */
  public Tensor result() {
    if (float32Sum != null) return float32Sum.result(); // dtype dispatch
    if (result == null) {
      checkState(!isEmpty(), "gradient sum: no gradient was added");
      result = sum == null ? single : new Tensor(shape, settled());
    }
    return result;
  }

  /** The array this sum owns, holding everything added so far. */
  private double[] own() {
    if (sum == null) {
      sum = single == null ? Buffers.doubles(shape.size()) : copyOf(single.data);
      single = null;
    }
    return sum;
  }

  /** {@link #own}, with the stacked products added: everything added so far, in order. */
  private double[] settled() {
    double[] into = own();
    if (stacked != null) {
      stacked.addTo(into);
    }
    return into;
  }

  private static double[] copyOf(double[] values) {
    double[] copy = Buffers.doublesToOverwrite(values.length);
    System.arraycopy(values, 0, copy, 0, values.length);
    return copy;
  }

  /** Refuses a gradient (or a product's operand) of the other dtype, which would read as null. */
  private static void checkDType(Tensor gradient) {
    checkArgument(
        gradient.dtype() == DType.FLOAT64,
        "gradient sum: a %s gradient of shape %s for a %s value",
        gradient.dtype(),
        gradient.shape(),
        DType.FLOAT64);
  }

  private void checkShape(Tensor gradient) {
    checkArgument(
        gradient.shape().equals(shape),
        "gradient sum: a gradient of shape %s for a value of shape %s",
        gradient.shape(),
        shape);
  }

  private void checkOpen() {
    checkState(result == null, "gradient sum: the result was already taken");
  }
}
