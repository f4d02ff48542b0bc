package dev.rewind.autodiff.internal;

import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import com.google.common.base.Verify;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * A tensor's array without a copy, for the kernels of this package: they read a tensor's elements
 * in place and wrap an array they have just filled, as the kernels of {@code tensor} do through its
 * package-private members. {@link Tensor} hands its access over once, when it is initialised (the
 * pattern of the JDK's shared secrets), so that {@code Tensor} itself gains no public member that
 * could expose or mutate its array.
 *
 * <p>Only {@link #install} and {@link Access} are public, because {@code Tensor} must reach them;
 * reading and wrapping are package-private.
 */
public final class TensorArrays {
  /** What {@link Tensor} hands over: reading its array, and wrapping an array, without copying. */
  public interface Access {
    /** The array of {@code t} itself; the caller never writes it. */
    double[] array(Tensor t);

    /** A tensor over {@code data}, which the caller has just allocated and never writes again. */
    Tensor wrap(Shape shape, double[] data);
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

  /**
   * A tensor over {@code data}, not a copy: only for an array just filled and never written again.
   */
  static Tensor wrap(Shape shape, double[] data) {
    return Installed.ACCESS.wrap(shape, data);
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
