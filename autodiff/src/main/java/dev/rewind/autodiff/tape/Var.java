package dev.rewind.autodiff.tape;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.ops.elementwise.Abs;
import dev.rewind.autodiff.ops.elementwise.Add;
import dev.rewind.autodiff.ops.elementwise.Clamp;
import dev.rewind.autodiff.ops.elementwise.Convert;
import dev.rewind.autodiff.ops.elementwise.Div;
import dev.rewind.autodiff.ops.elementwise.Dropout;
import dev.rewind.autodiff.ops.elementwise.Exp;
import dev.rewind.autodiff.ops.elementwise.Log;
import dev.rewind.autodiff.ops.elementwise.Maximum;
import dev.rewind.autodiff.ops.elementwise.Minimum;
import dev.rewind.autodiff.ops.elementwise.Mul;
import dev.rewind.autodiff.ops.elementwise.Neg;
import dev.rewind.autodiff.ops.elementwise.Pow;
import dev.rewind.autodiff.ops.elementwise.Relu;
import dev.rewind.autodiff.ops.elementwise.Sigmoid;
import dev.rewind.autodiff.ops.elementwise.Sqrt;
import dev.rewind.autodiff.ops.elementwise.Square;
import dev.rewind.autodiff.ops.elementwise.Sub;
import dev.rewind.autodiff.ops.elementwise.Tanh;
import dev.rewind.autodiff.ops.elementwise.Where;
import dev.rewind.autodiff.ops.linalg.Affine;
import dev.rewind.autodiff.ops.linalg.MatMul;
import dev.rewind.autodiff.ops.linalg.Transpose;
import dev.rewind.autodiff.ops.reduce.BroadcastTo;
import dev.rewind.autodiff.ops.reduce.LogSoftmax;
import dev.rewind.autodiff.ops.reduce.Softmax;
import dev.rewind.autodiff.ops.reduce.Sum;
import dev.rewind.autodiff.ops.reduce.SumAxis;
import dev.rewind.autodiff.ops.reduce.SumTo;
import dev.rewind.autodiff.ops.shape.Concat;
import dev.rewind.autodiff.ops.shape.Gather;
import dev.rewind.autodiff.ops.shape.MaskedScatter;
import dev.rewind.autodiff.ops.shape.MaskedSelect;
import dev.rewind.autodiff.ops.shape.Pad;
import dev.rewind.autodiff.ops.shape.Pick;
import dev.rewind.autodiff.ops.shape.Reshape;
import dev.rewind.autodiff.ops.shape.ScatterAdd;
import dev.rewind.autodiff.ops.shape.Slice;
import dev.rewind.autodiff.ops.shape.Stack;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A value in a differentiable computation: a tensor, and the identity a {@link Tape} keys its
 * gradient by. Every method here applies one op (this class is the dispatch facade of the ops
 * packages and holds no arithmetic); on an open tape the application is recorded, elsewhere it just
 * computes.
 *
 * <p>A {@code Var} made with {@link #constant} or {@link #detach}, or computed outside every open
 * tape, is a leaf: gradients can be taken with respect to it, and none flows through it.
 */
public class Var {
  private Tensor value;
  // Whether value() has handed the tensor out: a recycling tape then keeps its array (see close).
  private boolean handedOut;
  // Whether a recycling tape took the array back when it closed; the value is then unreadable.
  private boolean released;
  // Which output of the op that computed it this value is: 0 but for an op with several outputs.
  final int outputIndex;
  // Where the first tape that recorded this value keeps its op; see Tape.append.
  Tape recordedOn;
  int recordedAt;

  Var(Tensor value) {
    this(value, 0);
  }

  Var(Tensor value, int outputIndex) {
    this.value = value;
    this.outputIndex = outputIndex;
  }

  /** A leaf holding {@code value}: an input, a target, or a constant. */
  public static Var constant(Tensor value) {
    return new Var(value);
  }

  /** A scalar leaf. */
  public static Var scalar(double value) {
    return new Var(Tensor.scalar(value));
  }

  /** A scalar leaf of {@code dtype}, such as a constant to combine with a float32 value. */
  public static Var scalar(double value, DType dtype) {
    return new Var(Tensor.full(Shape.SCALAR, value, dtype));
  }

  /** A constant {@code [indices.length, classes]} one-hot matrix; it has no gradient. */
  public static Var oneHot(int[] indices, int classes) {
    return new Var(Layout.oneHot(indices, classes));
  }

  /**
   * A constant {@code [batch, time, classes]} one-hot tensor from a rectangular {@code
   * [batch][time]} array of class indices, each in {@code [0, classes)}; it has no gradient (the
   * indices are discrete). See {@link Layout#oneHot(int[][], int)}.
   */
  public static Var oneHot(int[][] indices, int classes) {
    return new Var(Layout.oneHot(indices, classes));
  }

  /**
   * The tensor. On a tape made with {@link Tape#recordRecycling()}, reading it keeps its array from
   * being reused when the tape closes.
   *
   * @throws IllegalStateException if this value was computed on a recycling tape that has closed
   *     without the value having been read
   */
  public Tensor value() {
    handedOut = true;
    return peek();
  }

  /** The tensor, for the engine's own use while the tape holds it: not handed out. */
  final Tensor peek() {
    if (released) {
      throw new IllegalStateException(
          String.format(
              "value: this %s value was computed on a tape made with Tape.recordRecycling(), which"
                  + " reused its array when it closed; read it with value() before the tape"
                  + " closes (that keeps it), or record with Tape.record()",
              value.shape()));
    }
    return value;
  }

  final boolean handedOut() {
    return handedOut;
  }

  /** Marks this value unreadable: a recycling tape has taken its array back. */
  final void release() {
    released = true;
  }

  public Shape shape() {
    return value.shape();
  }

  public DType dtype() {
    return value.dtype();
  }

  /**
   * This value in {@code dtype}, differentiably: the gradient flows back converted to this value's
   * dtype. Itself if it already has that dtype.
   */
  public Var to(DType dtype) {
    return dtype == dtype() ? this : new Convert(dtype).apply(this);
  }

  final void setValue(Tensor newValue) {
    value = newValue;
  }

  /** A leaf with this value: gradients stop here (what truncated BPTT does between windows). */
  public Var detach() {
    return new Var(value());
  }

  // Element-wise arithmetic, broadcasting.

  public Var add(Var other) {
    return new Add().apply(this, other);
  }

  public Var add(double constant) {
    return add(scalar(constant, dtype()));
  }

  public Var sub(Var other) {
    return new Sub().apply(this, other);
  }

  public Var mul(Var other) {
    return new Mul().apply(this, other);
  }

  public Var mul(double constant) {
    return mul(scalar(constant, dtype()));
  }

  public Var div(Var other) {
    return new Div().apply(this, other);
  }

  public Var neg() {
    return new Neg().apply(this);
  }

  public Var maximum(Var other) {
    return new Maximum().apply(this, other);
  }

  public Var minimum(Var other) {
    return new Minimum().apply(this, other);
  }

  /** {@code whenTrue} where {@code condition} is non-zero, else {@code whenFalse}; broadcasting. */
  public static Var where(Tensor condition, Var whenTrue, Var whenFalse) {
    return new Where(condition).apply(whenTrue, whenFalse);
  }

  // Element-wise functions.

  public Var tanh() {
    return new Tanh().apply(this);
  }

  public Var sigmoid() {
    return new Sigmoid().apply(this);
  }

  public Var relu() {
    return new Relu().apply(this);
  }

  public Var exp() {
    return new Exp().apply(this);
  }

  public Var log() {
    return new Log().apply(this);
  }

  public Var square() {
    return new Square().apply(this);
  }

  public Var sqrt() {
    return new Sqrt().apply(this);
  }

  public Var pow(double exponent) {
    return new Pow(exponent).apply(this);
  }

  public Var abs() {
    return new Abs().apply(this);
  }

  public Var clamp(double min, double max) {
    return new Clamp(min, max).apply(this);
  }

  /**
   * Inverted dropout, as PyTorch's {@code F.dropout(x, p, training)}: in training, each element is
   * zeroed with probability {@code p} (a mask drawn from {@code random}, one draw per element) and
   * the others are scaled by {@code 1 / (1 - p)}, so that the expectation is {@code x}; {@code p =
   * 1} gives zeros. Out of training, or with {@code p = 0}, it returns this value itself: nothing
   * is recorded and nothing is drawn.
   *
   * @throws IllegalArgumentException unless {@code 0 <= p <= 1}, in training or not
   */
  public Var dropout(double p, boolean training, Random random) {
    return Dropout.of(this, p, training, random);
  }

  /**
   * {@code this * mask} for a constant dropout mask (from {@link Tensor#dropoutMask}) that
   * broadcasts to this value without enlarging it: the same mask at every step of a sequence.
   */
  public Var dropout(Tensor mask) {
    return new Dropout(mask).apply(this);
  }

  // Linear algebra.

  /** The matrix product, 2-D or batched; see {@link MatMul}. */
  public Var matmul(Var other) {
    return new MatMul().apply(this, other);
  }

  /**
   * {@code op(this) op(other)}, where {@code op} swaps the last two axes of an operand whose flag
   * is set, reading it in place: {@code g.matmul(w, false, true)} is {@code g wᵀ} without forming
   * {@code wᵀ}.
   */
  public Var matmul(Var other, boolean transposeThis, boolean transposeOther) {
    return new MatMul(transposeThis, transposeOther).apply(this, other);
  }

  /**
   * {@code this w + b}, for rows {@code [n, k]} or {@code [B, n, k]}, {@code w [k, m]}, and {@code
   * b [m]} or of the product's shape: a linear layer's map as one op, the numbers of {@code
   * matmul(w).add(b)}.
   */
  public Var affine(Var w, Var b) {
    return new Affine().apply(this, w, b);
  }

  /** Swaps the last two axes. */
  public Var transpose() {
    return transpose(-2, -1);
  }

  public Var transpose(int axis1, int axis2) {
    return new Transpose(axis1, axis2).apply(this);
  }

  // Reductions.

  /** The sum of every element, as a scalar. */
  public Var sum() {
    return new Sum().apply(this);
  }

  public Var sum(int axis, boolean keepDims) {
    return new SumAxis(axis, keepDims).apply(this);
  }

  /** The mean of every element, as a scalar. */
  public Var mean() {
    return sum().mul(1.0 / value.size());
  }

  public Var mean(int axis, boolean keepDims) {
    int length = shape().dim(shape().axis(axis, "mean"));
    return sum(axis, keepDims).mul(1.0 / length);
  }

  public Var softmax(int axis) {
    return new Softmax(axis).apply(this);
  }

  public Var logSoftmax(int axis) {
    return new LogSoftmax(axis).apply(this);
  }

  /** Repeats this value along broadcast axes up to {@code target}. */
  public Var broadcastTo(Shape target) {
    return shape().equals(target) ? this : new BroadcastTo(target).apply(this);
  }

  /** Sums this value down to {@code target}, the reverse of {@link #broadcastTo}. */
  public Var sumTo(Shape target) {
    return shape().equals(target) ? this : new SumTo(target).apply(this);
  }

  // Shape.

  public Var reshape(int... dims) {
    return reshape(Shape.of(dims));
  }

  public Var reshape(Shape target) {
    return new Reshape(target).apply(this);
  }

  /** Joins values that agree on every axis but {@code axis}. */
  public static Var concat(int axis, Var... parts) {
    return new Concat(axis).apply(parts);
  }

  public static Var concat(int axis, List<Var> parts) {
    return concat(axis, parts.toArray(new Var[0]));
  }

  /** Stacks values of equal shape along a new axis, as the time axis of an unrolled sequence. */
  public static Var stack(int axis, List<Var> parts) {
    return Stack.of(axis, parts);
  }

  /** The elements with index in {@code [start, end)} along {@code axis}. */
  public Var slice(int axis, int start, int end) {
    return new Slice(axis, start, end).apply(this);
  }

  /** The sub-tensor at {@code index} along {@code axis}, with that axis removed. */
  public Var select(int axis, int index) {
    int resolved = shape().axis(axis, "select");
    return slice(resolved, index, index + 1).reshape(shape().without(resolved));
  }

  /** Splits along {@code axis} into pieces of the given sizes, which must add up to its length. */
  public List<Var> split(int axis, int... sizes) {
    int resolved = shape().axis(axis, "split");
    int total = Arrays.stream(sizes).sum();
    checkArgument(
        total == shape().dim(resolved),
        "split: sizes adding up to %s for axis %s of length %s in %s",
        total,
        resolved,
        shape().dim(resolved),
        shape());
    List<Var> pieces = new ArrayList<>();
    int start = 0;
    for (int size : sizes) {
      pieces.add(slice(resolved, start, start + size));
      start += size;
    }
    return pieces;
  }

  /** The values along {@code axis}, each without it: the reverse of {@link #stack}. */
  public List<Var> unstack(int axis) {
    int resolved = shape().axis(axis, "unstack");
    List<Var> pieces = new ArrayList<>();
    for (int i = 0; i < shape().dim(resolved); i++) {
      pieces.add(select(resolved, i));
    }
    return pieces;
  }

  /** Zeros before and after along {@code axis}. */
  public Var pad(int axis, int before, int after) {
    return new Pad(axis, before, after).apply(this);
  }

  /** Rows of this table by index: the embedding lookup. */
  public Var gather(int... rows) {
    return new Gather(rows).apply(this);
  }

  /**
   * One element per row of this {@code [N, C]} matrix, {@code out[n] = this[n, columns[n]]}: the
   * target's log-probability of each row of a classifier, without a one-hot mask.
   */
  public Var pick(int[] columns) {
    return new Pick(columns).apply(this);
  }

  /** Adds row {@code i} into row {@code rows[i]} of a zero table of {@code rowCount} rows. */
  public Var scatterAdd(int[] rows, int rowCount) {
    return new ScatterAdd(rows, rowCount).apply(this);
  }

  /** The elements where {@code mask} is non-zero, as a vector. */
  public Var maskedSelect(Tensor mask) {
    return new MaskedSelect(mask).apply(this);
  }

  /** This vector's elements placed at the non-zero positions of {@code mask}, zeros elsewhere. */
  public Var maskedScatter(Tensor mask) {
    return new MaskedScatter(mask).apply(this);
  }

  @Override
  public String toString() {
    return "Var " + value;
  }
}
