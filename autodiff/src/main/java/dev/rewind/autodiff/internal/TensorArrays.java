package dev.rewind.autodiff.internal;

import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import com.google.common.base.Verify;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * A tensor's array without a copy, for the kernels of this package: they read a tensor's elements
 * in place and wrap an array they have just filled, as the kernels of {@code tensor} do through its
 * package-private members, and the fused recurrent steps write {@code MatMul}'s affine map into
 * their own arrays. {@link Tensor} hands its access over once, when it is initialised (the pattern
 * of the JDK's shared secrets), so that {@code Tensor} itself gains no public member that could
 * expose or mutate its array.
 *
 * <p>Only {@link #install} and {@link Access} are public, because {@code Tensor} must reach them;
 * the rest is package-private.
 */
public final class TensorArrays {
  /**
   * What {@link Tensor} hands over: reading its array and wrapping an array, without copying, and
   * the affine map of {@code MatMul} into an array, which the fused recurrent steps build on.
   */
  public interface Access {
    /** The array of {@code t} itself; the caller never writes it. */
    double[] array(Tensor t);

    /** The float32 array of {@code t} itself; the caller never writes it. */
    float[] floats(Tensor t);

    /** A tensor over {@code data}, which the caller has just allocated and never writes again. */
    Tensor wrap(Shape shape, double[] data);

    /** A float32 tensor over {@code data}, as {@link #wrap(Shape, double[])}. */
    Tensor wrap(Shape shape, float[] data);

    /**
     * {@code MatMul.affine(x, w, b)}'s numbers into {@code out}, which holds zeros, one per element
     * of {@code x w}: the product runs on the kernel {@code MatMul} chose.
     */
    void affineInto(Tensor x, Tensor w, Tensor b, double[] out);

    /** Adds {@code b}, either one per column or one per element, to the product {@code out}. */
    void addBias(Tensor b, double[] out);

    /** {@link #affineInto(Tensor, Tensor, Tensor, double[])} for float32 tensors. */
    void affineInto(Tensor x, Tensor w, Tensor b, float[] out);

    /** {@link #addBias(Tensor, double[])} for float32 tensors. */
    void addBias(Tensor b, float[] out);
  }

  private static Access installed;

  private TensorArrays() {}

  /** Called by {@link Tensor}'s initialiser, once; a second call is an error. */
  public static void install(Access access) {
    checkState(installed == null, "TensorArrays: the access is installed once, by Tensor");
    installed = checkNotNull(access, "access");
  }

  /** The array of {@code t} itself, not a copy: never write it. */
  static double[] array(Tensor t) {
    return Installed.ACCESS.array(t);
  }

  /** The float32 array of {@code t} itself, not a copy: never write it. */
  static float[] floats(Tensor t) {
    return Installed.ACCESS.floats(t);
  }

  /**
   * A tensor over {@code data}, not a copy: only for an array just filled and never written again.
   */
  static Tensor wrap(Shape shape, double[] data) {
    return Installed.ACCESS.wrap(shape, data);
  }

  /** A float32 tensor over {@code data}, as {@link #wrap(Shape, double[])}. */
  static Tensor wrap(Shape shape, float[] data) {
    return Installed.ACCESS.wrap(shape, data);
  }

  /** {@link Access#affineInto}: a fused kernel's affine map into its own array. */
  static void affineInto(Tensor x, Tensor w, Tensor b, double[] out) {
    Installed.ACCESS.affineInto(x, w, b, out);
  }

  /** {@link Access#addBias}. */
  static void addBias(Tensor b, double[] out) {
    Installed.ACCESS.addBias(b, out);
  }

  static void affineInto(Tensor x, Tensor w, Tensor b, float[] out) {
    Installed.ACCESS.affineInto(x, w, b, out);
  }

  static void addBias(Tensor b, float[] out) {
    Installed.ACCESS.addBias(b, out);
  }

  /** The access as a constant, which the JIT folds into every call; read after Tensor is set up. */
  private static final class Installed {
    static final Access ACCESS = load();

    private static Access load() {
      try {
        Class.forName(Tensor.class.getName(), true, Tensor.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new AssertionError(e);
      }
      return Verify.verifyNotNull(installed, "TensorArrays: Tensor installed no access");
    }
  }
}
