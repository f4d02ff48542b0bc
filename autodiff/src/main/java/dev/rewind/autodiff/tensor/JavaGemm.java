package dev.rewind.autodiff.tensor;

import dev.rewind.autodiff.internal.SparseLeft;

/**
 * The pure-Java matrix product {@code C += op(A) op(B)} on row-major flat arrays, where {@code op}
 * is the identity or the transpose: the kernel that runs everywhere, with no native library and no
 * JVM flags.
 *
 * <p>Every element is summed in the order of the textbook loop, {@code c[i][j] = ((A[i][0] B[0][j]
 * + A[i][1] B[1][j]) + ...)}, whatever the path below: results are reproducible to the bit and do
 * not depend on the batch size. Loops run in i-k-j order, so the innermost loop walks along a row
 * of the right operand and of the result.
 *
 * <p>A transposed operand is never materialised. The left operand is read through two strides (one
 * element at a time, outside the innermost loop); the right one is copied, a block at a time, into
 * one array per row, and that copy reads {@code B} or {@code Bᵀ} alike.
 *
 * <p>Products of at least {@value #MIN_PACKED_ROWS} rows copy a block of the right operand, {@value
 * #DEPTH} rows of {@value #COLUMNS} columns (the block stays in L2 while every row of the left
 * operand passes over it), and accumulate two rows of the result at a time in a scratch array. The
 * innermost loop then indexes every array by {@code j} or {@code j + COLUMNS}, a constant, which is
 * what C2's SuperWord needs to turn it into SIMD code: a loop that reads and writes one flat array
 * at two offsets not known at compile time stays scalar. Each element of the right operand loaded
 * feeds two multiply-adds, one per row.
 *
 * <p>A left operand that is mostly zeros, such as a batch of one-hot rows, takes the sparse path of
 * {@link SparseLeft}, which skips its zeros.
 */
final class JavaGemm {
  /** Columns of a block of the right operand; also the stride of the two accumulator rows. */
  private static final int COLUMNS = 256;

  /** Rows of a block of the right operand: a block is {@code 256 x 256 x 8 B = 512 KiB}. */
  private static final int DEPTH = 256;

  /** Below this many rows (or columns), copying the right operand costs more than it saves. */
  static final int MIN_PACKED_ROWS = 8;

  private JavaGemm() {}

  /**
   * {@code c[n, m] += op(A)[n, k] op(B)[k, m]}: {@code A} is stored {@code [n, k]}, or {@code [k,
   * n]} when {@code transposeA}; {@code B} is {@code [k, m]}, or {@code [m, k]} when {@code
   * transposeB}; each from its offset.
   */
  static void gemm(
      boolean transposeA,
      boolean transposeB,
      int n,
      int k,
      int m,
      double[] a,
      int aOffset,
      double[] b,
      int bOffset,
      double[] c,
      int cOffset) {
    SparseLeft sparse = sparseLeft(transposeA, transposeB, n, k, m, a, aOffset);
    if (sparse != null) {
      sparse.multiplyAdd(b, bOffset, m, c, cOffset);
    } else {
      dense(transposeA, transposeB, n, k, m, a, aOffset, b, bOffset, c, cOffset);
    }
  }

  /** {@link #gemm} without looking for zeros in the left operand. */
  static void dense(
      boolean transposeA,
      boolean transposeB,
      int n,
      int k,
      int m,
      double[] a,
      int aOffset,
      double[] b,
      int bOffset,
      double[] c,
      int cOffset) {
    dense(transposeA, transposeB, n, k, m, a, aOffset, transposeA ? n : k, b, bOffset, c, cOffset);
  }

  /**
   * {@link #dense}, with the stored rows of {@code A} {@code aRowLength} apart: rows {@code i0 ..
   * i0 + n} of a taller {@code op(A)}, whose rows of {@code C} this call computes alone.
   */
  static void dense(
      boolean transposeA,
      boolean transposeB,
      int n,
      int k,
      int m,
      double[] a,
      int aOffset,
      int aRowLength,
      double[] b,
      int bOffset,
      double[] c,
      int cOffset) {
    Operand left = Operand.of(a, aOffset, aRowLength, transposeA);
    Operand right = Operand.of(b, bOffset, transposeB ? k : m, transposeB);
    if (n < MIN_PACKED_ROWS || m < MIN_PACKED_ROWS) {
      multiplyInPlace(left, right, c, cOffset, n, k, m);
    } else {
      multiplyPacked(left, right, c, cOffset, n, k, m);
    }
  }

  /**
   * The non-zeros of the left operand when {@link #gemm} skips its zeros: it is mostly zeros, such
   * as a batch of one-hot rows, and the right one is read along its rows; otherwise null. Such a
   * product is cheaper here than in any dense kernel, native or not.
   */
  static SparseLeft sparseLeft(
      boolean transposeA, boolean transposeB, int n, int k, int m, double[] a, int aOffset) {
    return transposeB || m < SparseLeft.MIN_COLUMNS
        ? null
        : SparseLeft.find(a, aOffset, n, k, transposeA);
  }

  /**
   * A matrix stored row-major in a flat array, read through strides: element {@code (i, p)} is at
   * {@code offset + i * rowStride + p * columnStride}, which reads a matrix or its transpose alike.
   */
  private record Operand(double[] elements, int offset, int rowStride, int columnStride) {
    /**
     * The matrix {@code op(X)}, where X is stored transposed or not, its stored rows {@code
     * rowLength} apart.
     */
    static Operand of(double[] elements, int offset, int rowLength, boolean transposed) {
      return transposed
          ? new Operand(elements, offset, 1, rowLength)
          : new Operand(elements, offset, rowLength, 1);
    }

    int index(int row, int column) {
      return offset + row * rowStride + column * columnStride;
    }
  }

  private static void multiplyPacked(
      Operand left, Operand right, double[] c, int cOffset, int n, int k, int m) {
    double[][] block = new double[Math.min(k, DEPTH)][Math.min(m, COLUMNS)];
    double[] rows = new double[2 * COLUMNS];
    for (int j0 = 0; j0 < m; j0 += COLUMNS) {
      int columns = Math.min(COLUMNS, m - j0);
      for (int p0 = 0; p0 < k; p0 += DEPTH) {
        int depth = Math.min(DEPTH, k - p0);
        pack(right, p0, depth, j0, columns, block);
        int i = 0;
        for (; i + 1 < n; i += 2) {
          int row = cOffset + i * m + j0;
          System.arraycopy(c, row, rows, 0, columns);
          System.arraycopy(c, row + m, rows, COLUMNS, columns);
          addTwoRows(left, i, p0, block, depth, columns, rows);
          System.arraycopy(rows, 0, c, row, columns);
          System.arraycopy(rows, COLUMNS, c, row + m, columns);
        }
        if (i < n) {
          int row = cOffset + i * m + j0;
          System.arraycopy(c, row, rows, 0, columns);
          addOneRow(left, i, p0, block, depth, columns, rows);
          System.arraycopy(rows, 0, c, row, columns);
        }
      }
    }
  }

  /** Copies {@code op(B)[p0 .. p0 + depth, j0 .. j0 + columns]} into the rows of {@code block}. */
  private static void pack(
      Operand right, int p0, int depth, int j0, int columns, double[][] block) {
    if (right.columnStride == 1) {
      for (int p = 0; p < depth; p++) {
        System.arraycopy(right.elements, right.index(p0 + p, j0), block[p], 0, columns);
      }
      return;
    }
    // Bᵀ: each row of the block is a column of the stored matrix; walk the stored rows in order.
    for (int j = 0; j < columns; j++) {
      int from = right.index(p0, j0 + j);
      for (int p = 0; p < depth; p++) {
        block[p][j] = right.elements[from + p];
      }
    }
  }

  /**
   * {@code rows[0, :] += A[i, p0 ..] * block} and {@code rows[COLUMNS, :] += A[i + 1, p0 ..] *
   * block}, {@code depth} terms each.
   */
  private static void addTwoRows(
      Operand left, int i, int p0, double[][] block, int depth, int columns, double[] rows) {
    // NOTE: C2 (JDK 17) turns these loops into SIMD code only while their bodies stay this small
    // and every index is j or j + a constant. Measured: three rows, four terms per row, or the same
    // sums written as rows[j] += x00 * y0 + x01 * y1 silently stay scalar, at 40% of the speed.
    double[] a = left.elements;
    int first = left.index(i, p0);
    int second = first + left.rowStride;
    int step = left.columnStride;
    int p = 0;
    for (; p + 1 < depth; p += 2) {
      double[] b0 = block[p];
      double[] b1 = block[p + 1];
      double x00 = a[first + p * step];
      double x01 = a[first + (p + 1) * step];
      double x10 = a[second + p * step];
      double x11 = a[second + (p + 1) * step];
      for (int j = 0; j < columns; j++) {
        double y0 = b0[j];
        double y1 = b1[j];
        rows[j] = rows[j] + x00 * y0 + x01 * y1;
        rows[j + COLUMNS] = rows[j + COLUMNS] + x10 * y0 + x11 * y1;
      }
    }
    if (p < depth) {
      double[] b0 = block[p];
      double x0 = a[first + p * step];
      double x1 = a[second + p * step];
      for (int j = 0; j < columns; j++) {
        double y = b0[j];
        rows[j] = rows[j] + x0 * y;
        rows[j + COLUMNS] = rows[j + COLUMNS] + x1 * y;
      }
    }
  }

  /** {@code row[:] += A[i, p0 .. p0 + depth] * block}. */
  private static void addOneRow(
      Operand left, int i, int p0, double[][] block, int depth, int columns, double[] row) {
    double[] a = left.elements;
    int first = left.index(i, p0);
    int step = left.columnStride;
    int p = 0;
    for (; p + 1 < depth; p += 2) {
      double[] b0 = block[p];
      double[] b1 = block[p + 1];
      double x0 = a[first + p * step];
      double x1 = a[first + (p + 1) * step];
      for (int j = 0; j < columns; j++) {
        row[j] = row[j] + x0 * b0[j] + x1 * b1[j];
      }
    }
    if (p < depth) {
      double[] b0 = block[p];
      double x0 = a[first + p * step];
      for (int j = 0; j < columns; j++) {
        row[j] = row[j] + x0 * b0[j];
      }
    }
  }

  /** The small case: {@code c[n, m] += op(A) op(B)} straight on the flat arrays, scalar. */
  private static void multiplyInPlace(
      Operand left, Operand right, double[] c, int cOffset, int n, int k, int m) {
    double[] a = left.elements;
    double[] b = right.elements;
    int bStep = right.columnStride;
    for (int i = 0; i < n; i++) {
      int row = cOffset + i * m;
      int p = 0;
      // Four rows of op(B) per pass: each element of c is loaded and stored a quarter as often.
      for (; p + 3 < k; p += 4) {
        double x0 = a[left.index(i, p)];
        double x1 = a[left.index(i, p + 1)];
        double x2 = a[left.index(i, p + 2)];
        double x3 = a[left.index(i, p + 3)];
        int b0 = right.index(p, 0);
        int b1 = right.index(p + 1, 0);
        int b2 = right.index(p + 2, 0);
        int b3 = right.index(p + 3, 0);
        for (int j = 0; j < m; j++) {
          int at = j * bStep;
          c[row + j] =
              c[row + j] + x0 * b[b0 + at] + x1 * b[b1 + at] + x2 * b[b2 + at] + x3 * b[b3 + at];
        }
      }
      for (; p < k; p++) {
        double x = a[left.index(i, p)];
        int bRow = right.index(p, 0);
        for (int j = 0; j < m; j++) {
          c[row + j] = c[row + j] + x * b[bRow + j * bStep];
        }
      }
    }
  }
}
