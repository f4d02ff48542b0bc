package dev.rewind.autodiff.internal;

import static com.google.common.base.Preconditions.checkArgument;
import static dev.rewind.autodiff.tensor.DType.isFloat32;

import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.Arrays;

/**
 * The non-zero elements of a left operand {@code op(A)} that is mostly zeros, such as a batch of
 * one-hot rows, found in one pass: a product with it adds one row of the right operand per non-zero
 * and never touches the zeros. A zero contributes nothing, even against an infinite or NaN element
 * of the right operand, as in the reference BLAS {@code dgemm}.
 *
 * <p>The non-zeros are kept in the order they are stored. For {@code A [n, k]} that is row by row;
 * for {@code Aᵀ} stored {@code [k, n]} it is by {@code p}, then {@code i}. Either way every element
 * {@code c[i][j]} receives its terms in increasing {@code p}, the order of the textbook loop, so
 * the sparse path rounds exactly as the dense Java kernel does.
 */
public final class SparseLeft {
  /**
   * Products with fewer columns than this are multiplied densely: the Java kernel's threshold for
   * packing the right operand.
   */
  public static final int MIN_COLUMNS = 8;

  /** The sparse path is taken when at least this fraction of the left operand is zero. */
  private static final double SPARSE_FRACTION = 0.75;

  /**
   * Non-zeros allowed above a quarter of the elements scanned so far before the scan gives up: a
   * dense operand is recognised within a few dozen elements, not after a quarter of all of them.
   */
  private static final int EARLY_SLACK = 16;

  /** Elements whose bits are or-ed together and tested at once. */
  private static final int CHUNK = 8;

  private final int[] rows;
  private final int[] depths;
  private final double[] values;
  // The shape of op(A), [n, k].
  private final int n;
  private final int k;

  /** The non-zeros {@code found} holds, copied. */
  private SparseLeft(int n, int k, NonZeros found) {
    this.n = n;
    this.k = k;
    rows = Arrays.copyOf(found.rows, found.count);
    depths = Arrays.copyOf(found.depths, found.count);
    values = Arrays.copyOf(found.values, found.count);
  }

  /**
   * The non-zeros a scan has found so far, in arrays that this thread's next scan reuses, so that a
   * dense operand, given up on within a few dozen elements, costs no garbage: most products of a
   * backward pass have one.
   */
  private static final class NonZeros {
    static final ThreadLocal<NonZeros> OF_THREAD = ThreadLocal.withInitial(NonZeros::new);

    int[] rows = new int[64];
    int[] depths = new int[64];
    double[] values = new double[64];
    int count;

    void add(int row, int depth, double value) {
      if (count == rows.length) {
        rows = Arrays.copyOf(rows, 2 * count);
        depths = Arrays.copyOf(depths, 2 * count);
        values = Arrays.copyOf(values, 2 * count);
      }
      rows[count] = row;
      depths[count] = depth;
      values[count] = value;
      count++;
    }
  }

  /**
   * The non-zeros of a matrix {@code a [n, k]} as the left operand of products with {@code columns}
   * columns, {@code a B} and {@code aᵀ B}: null where {@code MatMul} multiplies densely instead
   * (more than a quarter of the elements not zero, or too few columns). A kernel that multiplies by
   * a and then by its transpose finds them once.
   */
  public static SparseLeft of(Tensor a, int columns) {
    if (isFloat32("of", a)) return null; // dtype dispatch
    Shape shape = a.shape();
    checkArgument(shape.rank() == 2, "sparse: %s is not a matrix", shape);
    return columns < MIN_COLUMNS
        ? null
        : find(TensorArrays.array(a), 0, shape.dim(0), shape.dim(1), false);
  }

  /**
   * {@link #of} for step {@code t} of a sequence {@code [B, T, k]}, the matrix {@code [B, k]} read
   * in place.
   */
  public static SparseLeft ofStep(Tensor sequence, int t, int columns) {
    if (isFloat32("ofStep", sequence)) return null; // dtype dispatch
    Shape shape = sequence.shape();
    checkArgument(shape.rank() == 3, "sparse: %s is not a sequence [B, T, k]", shape);
    int k = shape.dim(2);
    return columns < MIN_COLUMNS
        ? null
        : find(TensorArrays.array(sequence), t * k, shape.dim(1) * k, shape.dim(0), k, false);
  }

  /**
   * The non-zeros of {@code op(A) [n, k]}, stored from {@code offset} as {@code [n, k]}, or as
   * {@code [k, n]} when {@code transposed}; or null when more than a quarter of its elements are
   * not zero.
   */
  public static SparseLeft find(double[] a, int offset, int n, int k, boolean transposed) {
    return find(a, offset, transposed ? n : k, n, k, transposed);
  }

  /** {@link #find}, with the stored rows {@code rowStride} apart rather than packed. */
  private static SparseLeft find(
      double[] a, int offset, int rowStride, int n, int k, boolean transposed) {
    long allowed = (long) ((1 - SPARSE_FRACTION) * n * k);
    int rows = transposed ? k : n;
    int columns = transposed ? n : k;
    NonZeros found = NonZeros.OF_THREAD.get();
    found.count = 0;
    // Row by row of the stored matrix, so that each non-zero's position needs no division.
    for (int row = 0; row < rows; row++) {
      int start = offset + row * rowStride;
      int column = 0;
      while (column < columns) {
        if (column + CHUNK <= columns && allZero(a, start + column)) {
          column += CHUNK;
          continue;
        }
        int end = Math.min(columns, column + CHUNK);
        for (; column < end; column++) {
          double x = a[start + column];
          if (x != 0) {
            long scanned = (long) row * columns + column;
            if (found.count >= allowed || found.count > scanned / 4 + EARLY_SLACK) {
              return null;
            }
            found.add(transposed ? column : row, transposed ? row : column, x);
          }
        }
      }
    }
    return new SparseLeft(n, k, found);
  }

  /** Whether {@code a[from .. from + CHUNK)} holds only zeros of either sign, in one test. */
  private static boolean allZero(double[] a, int from) {
    // NOTE: written out, the eight loads and ors compile to straight-line code; as a loop over the
    // chunk they did not, and the whole scan took 1.4 times as long.
    long bits =
        Double.doubleToRawLongBits(a[from])
            | Double.doubleToRawLongBits(a[from + 1])
            | Double.doubleToRawLongBits(a[from + 2])
            | Double.doubleToRawLongBits(a[from + 3])
            | Double.doubleToRawLongBits(a[from + 4])
            | Double.doubleToRawLongBits(a[from + 5])
            | Double.doubleToRawLongBits(a[from + 6])
            | Double.doubleToRawLongBits(a[from + 7]);
    return (bits << 1) == 0;
  }

  /** The rows of {@code op(A)}. */
  public int rows() {
    return n;
  }

  /** The columns of {@code op(A)}. */
  public int columns() {
    return k;
  }

  /**
   * {@code c[k, m] += op(A)ᵀ B}, {@code B [n, m]} and {@code c} row-major from 0: {@code c[p, :] +=
   * A[i][p] * B[i, :]} for each non-zero. Each element of {@code c} receives its terms in
   * increasing {@code i}, as from {@link #find} of the transpose, so the two round alike.
   */
  public void multiplyTransposedAdd(double[] b, int m, double[] c) {
    for (int e = 0; e < values.length; e++) {
      double x = values[e];
      int row = depths[e] * m;
      int from = rows[e] * m;
      for (int j = 0; j < m; j++) {
        c[row + j] += x * b[from + j];
      }
    }
  }

  /**
   * {@code c[n, m] += op(A) B}, {@code B [k, m]} stored row-major from {@code bOffset}: {@code c[i,
   * :] += A[i][p] * B[p, :]} for each non-zero.
   */
  public void multiplyAdd(double[] b, int bOffset, int m, double[] c, int cOffset) {
    for (int e = 0; e < values.length; e++) {
      double x = values[e];
      int row = cOffset + rows[e] * m;
      int from = bOffset + depths[e] * m;
      for (int j = 0; j < m; j++) {
        c[row + j] += x * b[from + j];
      }
    }
  }
}
