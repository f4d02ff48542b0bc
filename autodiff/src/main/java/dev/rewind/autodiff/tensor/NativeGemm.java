package dev.rewind.autodiff.tensor;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
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
  // dgemm without netlib's bounds checks, or null; see columns().
  private final MethodHandle unchecked;

  private NativeGemm(BLAS blas) {
    this.blas = blas;
    this.unchecked = uncheckedGemm(blas);
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

  /** {@code c[n, m] += op(A)[n, k] op(B)[k, m]}, storage as in {@link JavaGemm#gemm}. */
  void gemm(
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
        transposeA ? n : k,
        1.0,
        c,
        cOffset,
        m);
  }

  /**
   * Whether {@link #gemmColumns} can compute a block of columns in place. netlib checks that {@code
   * ld * columns} elements follow an operand's offset, one leading dimension more than dgemm reads,
   * which a block of columns of C, read in place with C's leading dimension, fails: such blocks go
   * to the native routine directly, without netlib's checks, when the JVM lets this class reach it
   * (netlib on the class path), and the callers check the shapes themselves.
   */
  boolean computesColumnBlocks() {
    return unchecked != null;
  }

  /**
   * Columns {@code [first, first + columns)} of {@link #gemm}'s {@code c[n, m]}: {@code c[:, first
   * ..] += op(A) op(B)[:, first ..]}, reading every operand in place.
   */
  void gemmColumns(
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
      int cOffset,
      int first,
      int columns) {
    // A polymorphic call takes its argument types as written: the flags must be Strings.
    String left = transposeB ? "T" : "N";
    String right = transposeA ? "T" : "N";
    try {
      unchecked.invokeExact(
          (Object) blas,
          left,
          right,
          columns,
          n,
          k,
          1.0,
          b,
          bOffset + (transposeB ? first * k : first),
          transposeB ? k : m,
          a,
          aOffset,
          transposeA ? n : k,
          1.0,
          c,
          cOffset + first,
          m);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("native dgemm failed", e);
    }
  }

  String name() {
    return blas.getClass().getSimpleName();
  }

  /**
   * netlib's {@code dgemmK}, the native call behind its checks, or null if it cannot be reached.
   */
  private static MethodHandle uncheckedGemm(BLAS blas) {
    try {
      Method method =
          blas.getClass()
              .getDeclaredMethod(
                  "dgemmK",
                  String.class,
                  String.class,
                  int.class,
                  int.class,
                  int.class,
                  double.class,
                  double[].class,
                  int.class,
                  int.class,
                  double[].class,
                  int.class,
                  int.class,
                  double.class,
                  double[].class,
                  int.class,
                  int.class);
      method.setAccessible(true);
      MethodHandle handle = MethodHandles.lookup().unreflect(method);
      return handle.asType(handle.type().changeParameterType(0, Object.class));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // netlib on the module path, or another version: products stay whole
    }
  }
}
