package dev.rewind.autodiff.tensor;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.Supplier;

/** Runs work on a given number of threads, and compares results to the bit. */
public final class ThreadCounts {
  private ThreadCounts() {}

  /** {@code work}'s result with kernels on {@code threads} threads; the count is restored after. */
  public static <T> T on(int threads, Supplier<T> work) {
    int before = Parallelism.threads();
    Parallelism.setThreads(threads);
    try {
      return work.get();
    } finally {
      Parallelism.setThreads(before);
    }
  }

  /** Fails, naming {@code what} and the first element that differs, unless every bit is equal. */
  public static void assertSameBits(double[] expected, double[] actual, String what) {
    if (expected.length != actual.length) {
      fail(what + ": " + actual.length + " elements, expected " + expected.length);
    }
    for (int i = 0; i < expected.length; i++) {
      if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
        fail(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i]);
      }
    }
  }

  /**
   * {@link #assertSameBits(double[], double[], String)} of two tensors of the same shape and dtype
   * (a float32 tensor's elements widened to double, which keeps every float's bits).
   */
  public static void assertSameBits(Tensor expected, Tensor actual, String what) {
    if (!expected.shape().equals(actual.shape())) {
      fail(what + ": shape " + actual.shape() + ", expected " + expected.shape());
    }
    if (expected.dtype() != actual.dtype()) {
      fail(what + ": " + actual.dtype() + ", expected " + expected.dtype());
    }
    assertSameBits(expected.toArray(), actual.toArray(), what);
  }
}
