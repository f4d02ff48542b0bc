package dev.rewind.autodiff.tensor;

import dev.rewind.autodiff.internal.ComputePool;

/**
 * A dense product {@code C += op(A) op(B)} cut into chunks of rows of {@code C}, which the threads
 * of the {@link ComputePool} compute side by side. No chunk splits a sum: each element of {@code C}
 * is computed by one call of the kernel, over the whole inner dimension, whichever thread makes it.
 *
 * <p>The chunks of a native product depend on the shape alone, as a BLAS's blocking may depend on
 * the rows of a call: the same shape is cut the same way on any number of threads, so it gives the
 * same bits. The Java kernel sums every element in textbook order whatever the rows around it, so
 * its chunks are also cut by the thread count (one per thread at least), each copying the right
 * operand once.
 */
final class ChunkedGemm {
  /**
   * Multiply-adds a chunk carries at least: a product of fewer than twice as many is one chunk, on
   * the calling thread, where handing half of it to another thread would cost more than it saves.
   */
  static final long TERMS_PER_CHUNK = 1 << 19;

  /**
   * Rows a chunk holds at least: each chunk copies (packs) the whole right operand, which a few
   * rows would not repay.
   */
  static final int MIN_ROWS_PER_CHUNK = 16;

  private ChunkedGemm() {}

  /**
   * {@code c[n, m] += op(A)[n, k] op(B)[k, m]}, storage as in {@link JavaGemm#dense}, on {@code
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
    int aRowLength = transposeA ? n : k;
    int rowsPerChunk = rowsPerChunk(blas != null, n, k, m, ComputePool.threads());
    ComputePool.run(
        ComputePool.chunks(n, rowsPerChunk),
        chunk -> {
          int first = chunk * rowsPerChunk;
          int rows = Math.min(rowsPerChunk, n - first);
          int aAt = aOffset + (transposeA ? first : first * k);
          int cAt = cOffset + first * m;
          if (blas != null) {
            blas.gemm(transposeA, transposeB, rows, k, m, a, aAt, aRowLength, b, bOffset, c, cAt);
          } else {
            JavaGemm.dense(
                transposeA, transposeB, rows, k, m, a, aAt, aRowLength, b, bOffset, c, cAt);
          }
        });
  }

  /** The rows of {@code C} a chunk computes, for a native or a Java product on some threads. */
  static int rowsPerChunk(boolean isNative, int n, int k, int m, int threads) {
    int byShape = ComputePool.rowsPerChunk(n, (long) k * m, TERMS_PER_CHUNK, MIN_ROWS_PER_CHUNK);
    return isNative ? byShape : Math.max(byShape, (n + threads - 1) / threads);
  }
}
