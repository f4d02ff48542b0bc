package dev.rewind.autodiff.tensor;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The matrix product through the machine's native BLAS ({@code libblas.so.3}, such as OpenBLAS),
 * called through JNI by {@code dev.ludovic.netlib}: used when the library loads, and for products
 * large enough to pay for the call.
 *
 * <p>BLAS is column-major. A row-major {@code [n, m]} matrix is the column-major {@code [m, n]}
 * matrix of its transpose, so the row-major {@code C = op(A) op(B)} is computed as the column-major
 * {@code Cᵀ = op(B)ᵀ op(A)ᵀ}: the operands swap places and keep their flags.
 */
final class NativeGemm {
  private static final String LOADER_LOGGER = "dev.ludovic.netlib.blas.InstanceBuilder";

  private final BLAS blas;

  private NativeGemm(BLAS blas) {
    this.blas = blas;
  }

  /** The native BLAS, or empty with the reason in {@code failure} when it does not load. */
  static Optional<NativeGemm> load(StringBuilder failure) {
    // The loader logs a warning for every implementation it cannot load; not finding a native
    // library is an expected outcome here, reported by MatMul.backend(), not a warning.
    Logger logger = Logger.getLogger(LOADER_LOGGER);
    Level level = logger.getLevel();
    logger.setLevel(Level.OFF);
    try {
      return Optional.of(new NativeGemm(NativeBLAS.getInstance()));
    } catch (RuntimeException | LinkageError e) {
      failure.append(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      return Optional.empty();
    } finally {
      logger.setLevel(level);
    }
  }

  /**
   * {@code c[n, m] += op(A)[n, k] op(B)[k, m]}, storage as in {@link JavaGemm#dense(boolean,
   * boolean, int, int, int, double[], int, int, double[], int, double[], int)}: the stored rows of
   * {@code A} are {@code aRowLength} apart.
   */
  void gemm(
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
    if (transposeA && aRowLength != n) {
      // Some rows of a transposed A, read in place, would be a block [k, n] whose rows are
      // aRowLength apart; netlib checks that lda elements follow the start of its last row, more
      // than dgemm reads, which fails for every block but the last. The block is copied: the
      // same values, so the same sums.
      double[] block = new double[k * n];
      for (int p = 0; p < k; p++) {
        System.arraycopy(a, aOffset + p * aRowLength, block, p * n, n);
      }
      gemm(transposeA, transposeB, n, k, m, block, 0, n, b, bOffset, c, cOffset);
      return;
    }
    blas.dgemm(
        transposeB ? "T" : "N",
        transposeA ? "T" : "N",
        m,
        n,
        k,
        1.0,
        b,
        bOffset,
        transposeB ? k : m,
        a,
        aOffset,
        aRowLength,
        1.0,
        c,
        cOffset,
        m);
  }

  String name() {
    return blas.getClass().getSimpleName();
  }
}
