package dev.rewind.autodiff.tensor;

/**
 * How two operands broadcast against each other, walked as rows of the result, so that kernels
 * index both operands where they are instead of copying them out to the result's shape.
 *
 * <p>Axes of size 1 in the result are dropped, and neighbouring axes along which both operands are
 * laid out contiguously are merged. What stays is one innermost axis, the <em>row</em>, along which
 * each operand either steps through its elements or repeats a single one, and the outer axes, which
 * an odometer walks to give each row's starting offsets. So equal shapes are one row, {@code [N, C]
 * + [C]} is N rows that restart the right operand, and {@code [N, C] - [N, 1]} is N rows along
 * which the right operand repeats.
 */
final class Broadcast {
  /** The shape of the result. */
  final Shape shape;

  /** How many elements of the result one row holds. */
  final int rowLength;

  /** Whether the left operand advances along a row; if not, one of its elements is repeated. */
  final boolean leftSteps;

  /** Whether the right operand advances along a row; if not, one of its elements is repeated. */
  final boolean rightSteps;

  // The outer axes are the first outerRank entries of these arrays.
  private final int outerRank;
  private final int[] outerDims;
  private final int[] leftStrides;
  private final int[] rightStrides;
  private final int[] index;
  private int leftOffset;
  private int rightOffset;

  private Broadcast(Shape left, Shape right, Shape shape) {
    this.shape = shape;
    int rank = shape.rank();
    int[] dims = new int[rank];
    int[] leftMerged = new int[rank];
    int[] rightMerged = new int[rank];
    int[] leftAligned = alignedStrides(left, shape);
    int[] rightAligned = alignedStrides(right, shape);
    int axes = 0;
    for (int axis = 0; axis < rank; axis++) {
      int dim = shape.dim(axis);
      if (dim == 1) {
        continue;
      }
      int leftStride = leftAligned[axis];
      int rightStride = rightAligned[axis];
      if (axes > 0
          && leftMerged[axes - 1] == leftStride * dim
          && rightMerged[axes - 1] == rightStride * dim) {
        dims[axes - 1] *= dim;
      } else {
        dims[axes] = dim;
        axes++;
      }
      leftMerged[axes - 1] = leftStride;
      rightMerged[axes - 1] = rightStride;
    }
    this.outerRank = Math.max(0, axes - 1);
    this.rowLength = axes == 0 ? 1 : dims[axes - 1];
    this.leftSteps = axes == 0 || leftMerged[axes - 1] != 0;
    this.rightSteps = axes == 0 || rightMerged[axes - 1] != 0;
    this.outerDims = dims;
    this.leftStrides = leftMerged;
    this.rightStrides = rightMerged;
    this.index = new int[outerRank];
  }

  /**
   * The plan for combining operands of shapes {@code left} and {@code right}.
   *
   * @throws IllegalArgumentException naming {@code op} and both shapes when they do not broadcast
   */
  static Broadcast of(Shape left, Shape right, String op) {
    return new Broadcast(left, right, left.broadcast(right, op));
  }

  /** The offset in the left operand of the current row's first element. */
  int leftOffset() {
    return leftOffset;
  }

  /** The offset in the right operand of the current row's first element. */
  int rightOffset() {
    return rightOffset;
  }

  /** Moves both offsets to the next row of the result, in row-major order. */
  void nextRow() {
    for (int axis = outerRank - 1; axis >= 0; axis--) {
      leftOffset += leftStrides[axis];
      rightOffset += rightStrides[axis];
      index[axis]++;
      if (index[axis] < outerDims[axis]) {
        return;
      }
      leftOffset -= leftStrides[axis] * index[axis];
      rightOffset -= rightStrides[axis] * index[axis];
      index[axis] = 0;
    }
  }

  /**
   * The strides of {@code operand} as seen from {@code shape}'s axes: 0 along axes where it is
   * repeated (missing, or of size 1 where the result is not).
   */
  private static int[] alignedStrides(Shape operand, Shape shape) {
    int rank = shape.rank();
    int offset = rank - operand.rank();
    int[] own = operand.strides();
    int[] strides = new int[rank];
    for (int axis = offset; axis < rank; axis++) {
      strides[axis] = operand.dim(axis - offset) == shape.dim(axis) ? own[axis - offset] : 0;
    }
    return strides;
  }
}
