package dev.rewind.autodiff.tensor;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Matrix products: {@code [n, k] x [k, m]}, batched {@code [B, n, k] x [B, k, m]}, and a batch
 * against one matrix {@code [B, n, k] x [k, m]}.
 *
 * <p>Every element is summed in the order of the textbook loop, {@code c[i][j] = ((a[i][0] b[0][j]
 * + a[i][1] b[1][j]) + ...)}, whatever the path below: results are reproducible to the bit and do
 * not depend on the batch size. Loops run in i-k-j order, so the innermost loop walks along a row
 * of the right operand and of the result.
 *
 * <p>Products of at least {@value #MIN_PACKED_ROWS} rows copy a block of the right operand, {@value
 * #DEPTH} rows of {@value #COLUMNS} columns, into one array per row (the block stays in L2 while
 * every row of the left operand passes over it), and accumulate two rows of the result at a time in
 * a scratch array. The innermost loop then indexes every array by {@code j} or {@code j + COLUMNS},
 * a constant, which is what C2's SuperWord needs to turn it into SIMD code: a loop that reads and
 * writes one flat array at two offsets not known at compile time stays scalar. Each element of the
 * right operand loaded feeds two multiply-adds, one per row.
 */
public final class MatMul {
  /** Columns of a block of the right operand; also the stride of the two accumulator rows. */
  private static final int COLUMNS = 256;

  /** Rows of a block of the right operand: a block is {@code 256 x 256 x 8 B = 512 KiB}. */
  private static final int DEPTH = 256;

  /** Below this many rows (or columns), copying the right operand costs more than it saves. */
  private static final int MIN_PACKED_ROWS = 8;

  private MatMul() {}

  public static Tensor matmul(Tensor a, Tensor b) {
    Shape left = a.shape();
    Shape right = b.shape();
    checkArgument(
        left.rank() >= 2 && left.rank() <= 3 && right.rank() >= 2 && right.rank() <= left.rank(),
        "matmul: %s x %s: expected [n, k] x [k, m], [B, n, k] x [B, k, m] or [B, n, k] x [k, m]",
        left,
        right);
    int k = left.dim(-1);
    checkArgument(
        k == right.dim(-2),
        "matmul: %s x %s: inner dimensions %s and %s differ",
        left,
        right,
        k,
        right.dim(-2));
    int m = right.dim(-1);
    if (right.rank() == 2) {
      // A batch against one matrix is one tall matrix product: [B * n, k] x [k, m].
      int rows = Reductions.outerSize(left, left.rank() - 1);
      double[] out = new double[rows * m];
      multiply(a.data, 0, b.data, 0, out, 0, rows, k, m);
      return new Tensor(left.withDim(left.rank() - 1, m), out);
    }
    checkArgument(
        left.dim(0) == right.dim(0),
        "matmul: %s x %s: batch sizes %s and %s differ",
        left,
        right,
        left.dim(0),
        right.dim(0));
    int batch = left.dim(0);
    int n = left.dim(1);
    double[] out = new double[batch * n * m];
    for (int i = 0; i < batch; i++) {
      multiply(a.data, i * n * k, b.data, i * k * m, out, i * n * m, n, k, m);
    }
    return new Tensor(Shape.of(batch, n, m), out);
  }

  /** {@code c[n, m] += a[n, k] * b[k, m]} on flat arrays from the given offsets. */
  private static void multiply(
      double[] a,
      int aOffset,
      double[] b,
      int bOffset,
      double[] c,
      int cOffset,
      int n,
      int k,
      int m) {
    if (n < MIN_PACKED_ROWS || m < MIN_PACKED_ROWS) {
      multiplyInPlace(a, aOffset, b, bOffset, c, cOffset, n, k, m);
      return;
    }
    double[][] block = new double[Math.min(k, DEPTH)][Math.min(m, COLUMNS)];
    double[] rows = new double[2 * COLUMNS];
    for (int j0 = 0; j0 < m; j0 += COLUMNS) {
      int columns = Math.min(COLUMNS, m - j0);
      for (int p0 = 0; p0 < k; p0 += DEPTH) {
        int depth = Math.min(DEPTH, k - p0);
        for (int p = 0; p < depth; p++) {
          System.arraycopy(b, bOffset + (p0 + p) * m + j0, block[p], 0, columns);
        }
        int i = 0;
        for (; i + 1 < n; i += 2) {
          int row = cOffset + i * m + j0;
          System.arraycopy(c, row, rows, 0, columns);
          System.arraycopy(c, row + m, rows, COLUMNS, columns);
          addTwoRows(a, aOffset + i * k + p0, k, block, depth, columns, rows);
          System.arraycopy(rows, 0, c, row, columns);
          System.arraycopy(rows, COLUMNS, c, row + m, columns);
        }
        if (i < n) {
          int row = cOffset + i * m + j0;
          System.arraycopy(c, row, rows, 0, columns);
          addOneRow(a, aOffset + i * k + p0, block, depth, columns, rows);
          System.arraycopy(rows, 0, c, row, columns);
        }
      }
    }
  }

  /**
   * {@code rows[0, :] += a[row, :] * block} and {@code rows[COLUMNS, :] += a[row + 1, :] * block},
   * where {@code a[row, :]} is {@code depth} elements from {@code aRow} and the next row starts
   * {@code k} further on.
   */
  private static void addTwoRows(
      double[] a, int aRow, int k, double[][] block, int depth, int columns, double[] rows) {
    // NOTE: C2 (JDK 17) turns these loops into SIMD code only while their bodies stay this small
    // and every index is j or j + a constant. Measured: three rows, four terms per row, or the same
    // sums written as rows[j] += x00 * y0 + x01 * y1 silently stay scalar, at 40% of the speed.
    int p = 0;
    for (; p + 1 < depth; p += 2) {
      double[] b0 = block[p];
      double[] b1 = block[p + 1];
      double x00 = a[aRow + p];
      double x01 = a[aRow + p + 1];
      double x10 = a[aRow + k + p];
      double x11 = a[aRow + k + p + 1];
      for (int j = 0; j < columns; j++) {
        double y0 = b0[j];
        double y1 = b1[j];
        rows[j] = rows[j] + x00 * y0 + x01 * y1;
        rows[j + COLUMNS] = rows[j + COLUMNS] + x10 * y0 + x11 * y1;
      }
    }
    if (p < depth) {
      double[] b0 = block[p];
      double x0 = a[aRow + p];
      double x1 = a[aRow + k + p];
      for (int j = 0; j < columns; j++) {
        double y = b0[j];
        rows[j] = rows[j] + x0 * y;
        rows[j + COLUMNS] = rows[j + COLUMNS] + x1 * y;
      }
    }
  }

  /** {@code row[:] += a[aRow .. aRow + depth] * block}. */
  private static void addOneRow(
      double[] a, int aRow, double[][] block, int depth, int columns, double[] row) {
    int p = 0;
    for (; p + 1 < depth; p += 2) {
      double[] b0 = block[p];
      double[] b1 = block[p + 1];
      double x0 = a[aRow + p];
      double x1 = a[aRow + p + 1];
      for (int j = 0; j < columns; j++) {
        row[j] = row[j] + x0 * b0[j] + x1 * b1[j];
      }
    }
    if (p < depth) {
      double[] b0 = block[p];
      double x0 = a[aRow + p];
      for (int j = 0; j < columns; j++) {
        row[j] = row[j] + x0 * b0[j];
      }
    }
  }

  /** The small case: {@code c[n, m] += a[n, k] * b[k, m]} straight on the flat arrays, scalar. */
  private static void multiplyInPlace(
      double[] a,
      int aOffset,
      double[] b,
      int bOffset,
      double[] c,
      int cOffset,
      int n,
      int k,
      int m) {
    for (int i = 0; i < n; i++) {
      int row = cOffset + i * m;
      int aRow = aOffset + i * k;
      int p = 0;
      // Four rows of b per pass: each element of c is loaded and stored a quarter as often.
      for (; p + 3 < k; p += 4) {
        double x0 = a[aRow + p];
        double x1 = a[aRow + p + 1];
        double x2 = a[aRow + p + 2];
        double x3 = a[aRow + p + 3];
        int b0 = bOffset + p * m;
        int b1 = b0 + m;
        int b2 = b1 + m;
        int b3 = b2 + m;
        for (int j = 0; j < m; j++) {
          c[row + j] =
              c[row + j] + x0 * b[b0 + j] + x1 * b[b1 + j] + x2 * b[b2 + j] + x3 * b[b3 + j];
        }
      }
      for (; p < k; p++) {
        double x = a[aRow + p];
        int bRow = bOffset + p * m;
        for (int j = 0; j < m; j++) {
          c[row + j] = c[row + j] + x * b[bRow + j];
        }
      }
    }
  }
}
