package dev.rewind.autodiff.tensor;

import dev.rewind.autodiff.internal.Buffers;

/**
 * Products {@code aᵀ b} of a few rows each, stacked and added to a sum as one tall product: a
 * recurrent weight's gradient, {@code h(t−1)ᵀ da(t)} at every step, where each step's product has
 * only the batch's rows for its depth. Added one by one, every step reads and writes the whole sum,
 * {@code [H, G]}, to add a product of depth 32 or less; stacked, the sum is read and written once
 * for every few hundred rows, and the product runs at the depth a matrix kernel is built for.
 *
 * <p>The numbers: a step's terms reach each element of the sum in the order of its rows, and the
 * steps in the order they were added, as they would one product at a time; on the Java kernel,
 * which adds every term to the element in turn, the bits are the same. Native BLAS rounds a tall
 * product its own way, the same way for the same rows, so a run is still reproducible: the rows are
 * stacked by count alone, whatever the number of threads.
 */
final class StackedProducts {
  /**
   * Smaller sums (a recurrent weight below hidden 256 or so) stay in cache from one step to the
   * next, where stacking their products only adds the copies: an LSTM at hidden 128, whose weight
   * has 65,536 elements, lost 2 to 4% of its speed to it. Theirs are added one by one.
   */
  private static final int MIN_SUM_SIZE = 1 << 18;

  /** Products with more rows than this are tall enough to be added as they are. */
  private static final int MAX_ROWS = 64;

  /** The stacked rows of both operands together hold at most this many elements. */
  private static final int STACKED_ELEMENTS = 1 << 19;

  // The sum is [n, m]: the stacked rows of a are n long, those of b m long.
  private final int n;
  private final int m;
  private final int capacity;
  private double[] a;
  private double[] b;
  private int rows;

  private StackedProducts(int n, int m) {
    this.n = n;
    this.m = m;
    this.capacity = Math.max(2 * MAX_ROWS, STACKED_ELEMENTS / (n + m));
  }

  /** Stacks the products of a sum of {@code shape}, or null if they are better added one by one. */
  static StackedProducts forSum(Shape shape) {
    return shape.rank() == 2 && shape.size() >= MIN_SUM_SIZE
        ? new StackedProducts(shape.dim(0), shape.dim(1))
        : null;
  }

  /** Whether {@code aᵀ b} ({@code transposeA} and not {@code transposeB}) is stacked here. */
  boolean takes(Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
    return transposeA
        && !transposeB
        && a.shape().rank() == 2
        && b.shape().rank() == 2
        && a.shape().dim(0) <= MAX_ROWS;
  }

  /**
   * Stacks {@code aᵀ b} ({@code a [r, n]}, {@code b [r, m]}), first adding what is stacked to
   * {@code sum} if it would not fit.
   */
  void add(Tensor a, Tensor b, double[] sum) {
    int count = a.shape().dim(0);
    if (rows + count > capacity) {
      addTo(sum);
    }
    if (this.a == null) {
      this.a = Buffers.doublesToOverwrite(capacity * n);
      this.b = Buffers.doublesToOverwrite(capacity * m);
    }
    System.arraycopy(a.data, 0, this.a, rows * n, count * n);
    System.arraycopy(b.data, 0, this.b, rows * m, count * m);
    rows += count;
  }

  /** Adds the stacked products to {@code sum}, as one product, and empties the stack. */
  void addTo(double[] sum) {
    if (rows > 0) {
      MatMul.gemm(true, false, n, rows, m, a, 0, b, 0, sum, 0);
      rows = 0;
    }
  }
}
