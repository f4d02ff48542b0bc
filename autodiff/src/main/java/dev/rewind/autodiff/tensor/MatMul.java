package dev.rewind.autodiff.tensor;

import static com.google.common.base.Preconditions.checkArgument;
import static dev.rewind.autodiff.tensor.DType.isFloat32;

import dev.rewind.autodiff.internal.Buffers;
import dev.rewind.autodiff.internal.SparseLeft;
import java.util.Locale;
import java.util.Optional;

/**
 * Matrix products {@code op(a) op(b)}, where {@code op} is the identity or the transpose of the
 * last two axes: {@code [n, k] x [k, m]}, batched {@code [B, n, k] x [B, k, m]}, and a batch
 * against one matrix {@code [B, n, k] x [k, m]}. A transposed operand is read in place, never
 * copied, which is what the backward pass of a product needs ({@code g bᵀ} and {@code aᵀ g}).
 *
 * <p>Two kernels compute them. {@link JavaGemm} runs everywhere and sums every element in the order
 * of the textbook loop, so its results are reproducible to the bit whatever the shapes around them.
 * When the machine has a native BLAS ({@code libblas.so.3}; on Debian and Ubuntu, {@code apt-get
 * install libopenblas0-pthread}), products of at least {@value #NATIVE_MIN_TERMS} multiply-adds go
 * to it through JNI, two to three times faster, except those whose left operand is mostly zeros
 * (one-hot inputs), which the Java kernel's sparse path skips; its results are deterministic for a
 * given library and thread count, but round differently from the textbook order. The system
 * property {@code rewind.blas} chooses: {@code auto} (the default: native when it loads), {@code
 * java}, or {@code native} (fails at the first product if no native BLAS loads).
 *
 * <p>A product of millions of multiply-adds is cut into blocks of its result that run on {@link
 * Parallelism#threads} threads ({@link ChunkedGemm}), with the same bits on any number of them.
 */
public final class MatMul {
  /** Below this many multiply-adds, a JNI call costs more than the Java kernel takes. */
  static final long NATIVE_MIN_TERMS = 4096;

  private static final String PROPERTY = "rewind.blas";

  /**
   * The names of the four products, indexed by {@code 2 * transposeA + transposeB}: built once, as
   * every product's shape check passes one.
   */
  private static final String[] NAMES = {
    "matmul", "matmul(a, bᵀ)", "matmul(aᵀ, b)", "matmul(aᵀ, bᵀ)"
  };

  private static final Backend BACKEND = Backend.choose(System.getProperty(PROPERTY, "auto"));

  private MatMul() {}

  /** {@code a b}. */
  public static Tensor matmul(Tensor a, Tensor b) {
    if (isFloat32("matmul", a, b)) return MatMul32.matmul(a, b); // dtype dispatch
    return matmul(a, b, false, false);
  }

  /**
   * {@code op(a) op(b)}, where {@code op(x)} is {@code x} with its last two axes swapped when its
   * flag is set: {@code matmul(g, w, false, true)} is {@code g wᵀ}.
   */
  public static Tensor matmul(Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
    if (isFloat32("matmul", a, b))
      return MatMul32.matmul(a, b, transposeA, transposeB); // dtype dispatch
    Shape product = productShape(a.shape(), b.shape(), transposeA, transposeB);
    double[] out = Buffers.doubles(product.size());
    multiplyAdd(a, b, transposeA, transposeB, out);
    return new Tensor(product, out);
  }

  /**
   * {@code x w + b} for rows {@code x [n, k]} or {@code [B, n, k]}, {@code w [k, m]}, and {@code b}
   * either {@code [m]}, added to every row, or of the product's shape, added element by element:
   * the same numbers as {@code matmul(x, w)} and then a (broadcast) addition, in one new array.
   */
  public static Tensor affine(Tensor x, Tensor w, Tensor b) {
    if (isFloat32("affine", x, w, b)) return MatMul32.affine(x, w, b); // dtype dispatch
    checkAffine(x.shape(), w.shape(), b.shape());
    Shape product = productShape(x.shape(), w.shape(), false, false);
    double[] out = Buffers.doubles(product.size());
    affineInto(x, w, b, out);
    return new Tensor(product, out);
  }

  /** {@link #affine}'s numbers into {@code out}, which holds zeros, one per element of x w. */
  static void affineInto(Tensor x, Tensor w, Tensor b, double[] out) {
    multiplyAdd(x, w, false, false, out);
    addBias(b, out);
  }

  /** Adds {@code b}, either one per column or one per element, to the product {@code out}. */
  static void addBias(Tensor b, double[] out) {
    int m = b.size();
    if (m == out.length) {
      for (int i = 0; i < out.length; i++) {
        out[i] += b.data[i];
      }
    } else {
      for (int from = 0; from < out.length; from += m) {
        for (int j = 0; j < m; j++) {
          out[from + j] += b.data[j];
        }
      }
    }
  }

  /**
   * Throws, naming the three shapes, unless they are {@code [n, k]} or {@code [B, n, k]}, {@code
   * [k, m]}, and {@code [m]} or the product's shape.
   */
  public static void checkAffine(Shape x, Shape w, Shape b) {
    checkArgument(
        (x.rank() == 2 || x.rank() == 3) && w.rank() == 2,
        "affine: x %s, w %s, b %s: expected x [n, k] or [B, n, k], w [k, m], and b [m] or the"
            + " product's shape",
        x,
        w,
        b);
    checkArgument(
        x.dim(-1) == w.dim(0),
        "affine: x %s, w %s, b %s: inner dimensions %s and %s differ",
        x,
        w,
        b,
        x.dim(-1),
        w.dim(0));
    Shape product = x.withDim(x.rank() - 1, w.dim(1));
    checkArgument(
        b.equals(Shape.of(w.dim(1))) || b.equals(product),
        "affine: x %s, w %s, b %s: b must be [%s], one per column of w, or %s, one per element"
            + " of x w",
        x,
        w,
        b,
        w.dim(1),
        product);
  }

  /** The shape of {@code op(a) op(b)}; throws as {@link #checkShapes} does. */
  static Shape productShape(Shape left, Shape right, boolean transposeA, boolean transposeB) {
    checkShapes(left, right, transposeA, transposeB);
    int n = transposeA ? left.dim(-1) : left.dim(-2);
    int m = transposeB ? right.dim(-2) : right.dim(-1);
    return left.withDim(left.rank() - 2, n).withDim(left.rank() - 1, m);
  }

  /**
   * {@code c += op(a) op(b)}, {@code c} row-major of {@link #productShape}: how a gradient sum adds
   * a weight's gradient at one time step without first materialising it.
   */
  static void multiplyAdd(Tensor a, Tensor b, boolean transposeA, boolean transposeB, double[] c) {
    Shape left = a.shape();
    Shape right = b.shape();
    int k = transposeA ? left.dim(-2) : left.dim(-1);
    int m = transposeB ? right.dim(-2) : right.dim(-1);
    if (right.rank() == 2 && !transposeA) {
      // A batch against one matrix is one tall matrix product: [B * n, k] x [k, m].
      int rows = Reductions.outerSize(left, left.rank() - 1);
      gemm(false, transposeB, rows, k, m, a.data, 0, b.data, 0, c, 0);
      return;
    }
    int n = transposeA ? left.dim(-1) : left.dim(-2);
    int batch = left.rank() == 3 ? left.dim(0) : 1;
    int rightStride = right.rank() == 3 ? k * m : 0;
    for (int i = 0; i < batch; i++) {
      gemm(
          transposeA,
          transposeB,
          n,
          k,
          m,
          a.data,
          i * n * k,
          b.data,
          i * rightStride,
          c,
          i * n * m);
    }
  }

  /**
   * Throws, naming both shapes (as the caller wrote them) and the flags, when {@code op(left)
   * op(right)} is not a product this class computes.
   */
  public static void checkShapes(Shape left, Shape right, boolean transposeA, boolean transposeB) {
    String name = name(transposeA, transposeB);
    checkArgument(
        left.rank() >= 2 && left.rank() <= 3 && right.rank() >= 2 && right.rank() <= left.rank(),
        "%s: %s x %s: expected [n, k] x [k, m], [B, n, k] x [B, k, m] or [B, n, k] x [k, m]",
        name,
        left,
        right);
    int leftInner = transposeA ? left.dim(-2) : left.dim(-1);
    int rightInner = transposeB ? right.dim(-1) : right.dim(-2);
    checkArgument(
        leftInner == rightInner,
        "%s: %s x %s: inner dimensions %s and %s differ",
        name,
        left,
        right,
        leftInner,
        rightInner);
    checkArgument(
        right.rank() == 2 || left.dim(0) == right.dim(0),
        "%s: %s x %s: batch sizes %s and %s differ",
        name,
        left,
        right,
        left.dim(0),
        right.dim(0));
  }

  /** {@code matmul}, with {@code ᵀ} after each operand read transposed: {@code matmul(a, bᵀ)}. */
  private static String name(boolean transposeA, boolean transposeB) {
    return NAMES[(transposeA ? 2 : 0) + (transposeB ? 1 : 0)];
  }

  /** Which kernel large products run on: {@code "java"} or {@code "native (JNIBLAS)"}. */
  public static String backend() {
    return BACKEND.describe();
  }

  /**
   * {@code c += op(A) op(B)} on flat arrays, {@code [n, k] x [k, m]}, each operand stored from its
   * offset as {@link JavaGemm#gemm} reads it: on the sparse path, native BLAS or the Java kernel.
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
    SparseLeft sparse = JavaGemm.sparseLeft(transposeA, transposeB, n, k, m, a, aOffset);
    if (sparse != null) {
      sparse.multiplyAdd(b, bOffset, m, c, cOffset);
      return;
    }
    NativeGemm blas =
        (long) n * k * m >= NATIVE_MIN_TERMS ? BACKEND.nativeGemm().orElse(null) : null;
    ChunkedGemm.multiplyAdd(
        blas, transposeA, transposeB, n, k, m, a, aOffset, b, bOffset, c, cOffset);
  }

  /** The kernel chosen once, from the system property, when the class loads. */
  private record Backend(Optional<NativeGemm> nativeGemm, String note) {
    static Backend choose(String setting) {
      switch (setting.toLowerCase(Locale.ROOT)) {
        case "java" -> {
          return new Backend(Optional.empty(), "java (" + PROPERTY + "=java)");
        }
        case "auto", "native" -> {
          StringBuilder failure = new StringBuilder();
          Optional<NativeGemm> loaded = NativeGemm.load(failure);
          if (loaded.isEmpty() && setting.equalsIgnoreCase("native")) {
            throw new IllegalStateException(
                "matmul: " + PROPERTY + "=native but no native BLAS loads: " + failure);
          }
          return new Backend(
              loaded, loaded.isPresent() ? "" : "java (no native BLAS: " + failure + ")");
        }
        default ->
            throw new IllegalArgumentException(
                String.format("matmul: %s=%s: expected auto, java or native", PROPERTY, setting));
      }
    }

    String describe() {
      return nativeGemm.map(g -> "native (" + g.name() + ")").orElse(note);
    }
  }
}
