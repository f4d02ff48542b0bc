package dev.rewind.autodiff.internal;

import java.util.Arrays;

/**
 * Per-thread working arrays for the intermediate values of a fused kernel, which die before it
 * returns. A new array is zeroed memory the cache has not seen; a kernel that runs once per time
 * step and asks for the same lengths every step gets the same arrays back, still in cache.
 *
 * <p>A kernel must not let a scratch array escape, nor call another kernel that uses the same slot
 * while it holds one. The few kernels that return one, wrapped in a tensor, say so in their name
 * ({@code ...InScratch}); their caller holds the same duty until it is done with the tensor.
 */
final class Scratch {
  /** How many arrays a kernel may hold at once. */
  static final int SLOTS = 2;

  private static final ThreadLocal<double[][]> ARRAYS =
      ThreadLocal.withInitial(() -> new double[SLOTS][0]);

  private Scratch() {}

  /**
   * This thread's array number {@code slot}, of exactly {@code length} elements left from its last
   * use: for a kernel that writes every element before it reads any.
   */
  static double[] overwritten(int slot, int length) {
    double[][] arrays = ARRAYS.get();
    if (arrays[slot].length != length) {
      arrays[slot] = new double[length];
    }
    return arrays[slot];
  }

  /** This thread's array number {@code slot}, of exactly {@code length} zeros. */
  static double[] zeros(int slot, int length) {
    double[][] arrays = ARRAYS.get();
    double[] array = arrays[slot];
    if (array.length != length) {
      array = new double[length];
      arrays[slot] = array;
    } else {
      Arrays.fill(array, 0.0);
    }
    return array;
  }
}
