package dev.rewind.autodiff.tensor;

import dev.rewind.autodiff.internal.ComputePool;

/**
 * A dense product {@code C += op(A) op(B)} cut into chunks of {@code C}, which the threads of the
 * {@link ComputePool} compute side by side. No chunk splits a sum: each element of {@code C} is
 * computed by one call of the kernel, over the whole inner dimension, whichever thread makes it.
 *
 * <p>The Java kernel takes chunks of rows of {@code C}, at least one per thread: it sums every
 * element in textbook order whatever the rows around it, so how the rows are cut changes no bit. A
 * native BLAS rounds an element differently when the block it is computed in changes (measured with
 * OpenBLAS), so its chunks depend on the shape alone, the same on any number of threads; they are
 * blocks of columns of {@code C}, each of which packs only its own columns of the right operand,
 * the large one in a recurrent network's products. Cut by rows, every chunk would pack the whole of
 * it again.
 */
final class ChunkedGemm {
  /**
   * Multiply-adds a chunk carries at least: a product of fewer than twice as many is one chunk, on
   * the calling thread, where handing half of it to another thread would cost more than it saves.
   * Measured on two cores: a hand-over costs 18 µs at best, more on a busy machine, and 2^21
   * multiply-adds take about 120 µs on OpenBLAS and 180 µs on the Java kernel; with 2^19, W1's LSTM
   * at hidden 128 ran no faster on two threads than on one.
   */
  static final long TERMS_PER_CHUNK = 1 << 21;

  /**
   * Rows a chunk of the Java kernel holds at least: each chunk copies (packs) the whole right
   * operand, which a few rows would not repay.
   */
  static final int MIN_ROWS_PER_CHUNK = 16;

  /** Columns a native chunk holds at least, a multiple of {@link #COLUMN_STEP}. */
  static final int MIN_COLUMNS_PER_CHUNK = 64;

  /** A native chunk's columns are a multiple of this, a whole number of the kernel's tiles. */
  static final int COLUMN_STEP = 16;

  private ChunkedGemm() {}

  /**
   * {@code c[n, m] += op(A)[n, k] op(B)[k, m]}, storage as in {@link JavaGemm#gemm}, on {@code
   * blas}, or on the Java kernel when it is null.
   */
  static void multiplyAdd(
      NativeGemm blas,
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
    if (blas == null) {
      int aRowLength = transposeA ? n : k;
      int rowsPerChunk = rowsPerChunk(n, k, m, ComputePool.threads());
      ComputePool.run(
          ComputePool.chunks(n, rowsPerChunk),
          chunk -> {
            int first = chunk * rowsPerChunk;
            int rows = Math.min(rowsPerChunk, n - first);
            int aAt = aOffset + (transposeA ? first : first * k);
            int cAt = cOffset + first * m;
            JavaGemm.dense(
                transposeA, transposeB, rows, k, m, a, aAt, aRowLength, b, bOffset, c, cAt);
          });
      return;
    }
    int columnsPerChunk = blas.computesColumnBlocks() ? columnsPerChunk(n, k, m) : m;
    if (columnsPerChunk >= m) {
      blas.gemm(transposeA, transposeB, n, k, m, a, aOffset, b, bOffset, c, cOffset);
      return;
    }
    ComputePool.run(
        ComputePool.chunks(m, columnsPerChunk),
        chunk -> {
          int first = chunk * columnsPerChunk;
          int columns = Math.min(columnsPerChunk, m - first);
          blas.gemmColumns(
              transposeA, transposeB, n, k, m, a, aOffset, b, bOffset, c, cOffset, first, columns);
        });
  }

  /** The rows of {@code C} a chunk of the Java kernel computes, on some number of threads. */
  static int rowsPerChunk(int n, int k, int m, int threads) {
    int byShape = ComputePool.rowsPerChunk(n, (long) k * m, TERMS_PER_CHUNK, MIN_ROWS_PER_CHUNK);
    return Math.max(byShape, (n + threads - 1) / threads);
  }

  /** The columns of {@code C} a native chunk computes: a function of the shape alone. */
  static int columnsPerChunk(int n, int k, int m) {
    int columns = ComputePool.rowsPerChunk(m, (long) n * k, TERMS_PER_CHUNK, MIN_COLUMNS_PER_CHUNK);
    return Math.min(m, (columns + COLUMN_STEP - 1) / COLUMN_STEP * COLUMN_STEP);
  }
}
