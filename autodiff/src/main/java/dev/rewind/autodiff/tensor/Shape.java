package dev.rewind.autodiff.tensor;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.primitives.ImmutableIntArray;
import java.util.Arrays;

/**
 * The dimensions of a tensor, outermost first: {@code [batch, time, features]}. A record over an
 * {@link ImmutableIntArray}, so two shapes with the same dimensions are equal.
 */
public record Shape(ImmutableIntArray dims) {

  /** The shape of a scalar: rank 0, one element. */
  public static final Shape SCALAR = new Shape(ImmutableIntArray.of());

  public Shape {
    for (int i = 0; i < dims.length(); i++) {
      checkArgument(dims.get(i) >= 0, "shape %s: dimension %s is negative", dims, i);
    }
  }

  /** The shape with these dimensions. */
  public static Shape of(int... dims) {
    return new Shape(ImmutableIntArray.copyOf(dims));
  }

  public int rank() {
    return dims.length();
  }

  /** The size of {@code axis}; a negative axis counts from the end, as in NumPy. */
  public int dim(int axis) {
    return dims.get(axis < 0 ? axis + rank() : axis);
  }

  /** The number of elements: the product of the dimensions (1 for a scalar). */
  public int size() {
    int size = 1;
    for (int i = 0; i < dims.length(); i++) {
      size = Math.multiplyExact(size, dims.get(i));
    }
    return size;
  }

  public int[] toArray() {
    return dims.toArray();
  }

  /** Row-major strides: how far apart in the flat array two neighbours along each axis are. */
  public int[] strides() {
    int[] strides = new int[rank()];
    int stride = 1;
    for (int axis = rank() - 1; axis >= 0; axis--) {
      strides[axis] = stride;
      stride *= dims.get(axis);
    }
    return strides;
  }

  /**
   * Turns a possibly negative axis into an index in {@code [0, rank)}.
   *
   * @throws IllegalArgumentException naming {@code op} when the axis is out of range
   */
  public int axis(int axis, String op) {
    checkArgument(
        axis >= -rank() && axis < rank(),
        "%s: axis %s is out of range for shape %s",
        op,
        axis,
        this);
    return axis < 0 ? axis + rank() : axis;
  }

  /** This shape with {@code axis} replaced by {@code size}. */
  public Shape withDim(int axis, int size) {
    int[] result = toArray();
    result[axis] = size;
    return of(result);
  }

  /** This shape without {@code axis}. */
  public Shape without(int axis) {
    int[] result = new int[rank() - 1];
    for (int i = 0, j = 0; i < rank(); i++) {
      if (i != axis) {
        result[j++] = dims.get(i);
      }
    }
    return of(result);
  }

  /** This shape with a new dimension of {@code size} inserted before {@code axis}. */
  public Shape inserting(int axis, int size) {
    int[] result = new int[rank() + 1];
    for (int i = 0, j = 0; i < result.length; i++) {
      result[i] = i == axis ? size : dims.get(j++);
    }
    return of(result);
  }

  /**
   * The shape NumPy broadcasting gives {@code this} and {@code other}: dimensions are aligned from
   * the right, and each pair must be equal or contain a 1.
   *
   * @throws IllegalArgumentException naming {@code op} and both shapes when they do not broadcast
   */
  public Shape broadcast(Shape other, String op) {
    if (equals(other)) {
      return this;
    }
    int rank = Math.max(rank(), other.rank());
    int[] result = new int[rank];
    for (int i = 1; i <= rank; i++) {
      int mine = i <= rank() ? dims.get(rank() - i) : 1;
      int theirs = i <= other.rank() ? other.dims.get(other.rank() - i) : 1;
      checkArgument(
          mine == theirs || mine == 1 || theirs == 1,
          "%s: %s and %s do not broadcast: dimensions %s and %s differ and neither is 1",
          op,
          this,
          other,
          mine,
          theirs);
      result[rank - i] = mine == 1 ? theirs : mine;
    }
    return of(result);
  }

  /** Whether broadcasting this shape to {@code target} is possible. */
  public boolean broadcastsTo(Shape target) {
    if (rank() > target.rank()) {
      return false;
    }
    for (int i = 1; i <= rank(); i++) {
      int mine = dims.get(rank() - i);
      if (mine != 1 && mine != target.dims.get(target.rank() - i)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return Arrays.toString(dims.toArray());
  }
}
