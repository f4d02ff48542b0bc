package dev.rewind.autodiff.tensor;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Matrix products: {@code [n, k] x [k, m]}, batched {@code [B, n, k] x [B, k, m]}, and a batch
 * against one matrix {@code [B, n, k] x [k, m]}. Loops run in i-k-j order so that the innermost
 * loop streams along rows of both the right operand and the result.
 */
public final class MatMul {
  private MatMul() {}

  public static Tensor matmul(Tensor a, Tensor b) {
    Shape left = a.shape();
    Shape right = b.shape();
    checkArgument(
        left.rank() >= 2 && left.rank() <= 3 && right.rank() >= 2 && right.rank() <= left.rank(),
        "matmul: %s x %s: expected [n, k] x [k, m], [B, n, k] x [B, k, m] or [B, n, k] x [k, m]",
        left,
        right);
    int k = left.dim(-1);
    checkArgument(
        k == right.dim(-2),
        "matmul: %s x %s: inner dimensions %s and %s differ",
        left,
        right,
        k,
        right.dim(-2));
    int m = right.dim(-1);
    if (right.rank() == 2) {
      // A batch against one matrix is one tall matrix product: [B * n, k] x [k, m].
      int rows = Reductions.outerSize(left, left.rank() - 1);
      double[] out = new double[rows * m];
      multiply(a.data, 0, b.data, 0, out, 0, rows, k, m);
      return new Tensor(left.withDim(left.rank() - 1, m), out);
    }
    checkArgument(
        left.dim(0) == right.dim(0),
        "matmul: %s x %s: batch sizes %s and %s differ",
        left,
        right,
        left.dim(0),
        right.dim(0));
    int batch = left.dim(0);
    int n = left.dim(1);
    double[] out = new double[batch * n * m];
    for (int i = 0; i < batch; i++) {
      multiply(a.data, i * n * k, b.data, i * k * m, out, i * n * m, n, k, m);
    }
    return new Tensor(Shape.of(batch, n, m), out);
  }

  /** {@code c[n, m] += a[n, k] * b[k, m]} on flat arrays from the given offsets. */
  private static void multiply(
      double[] a,
      int aOffset,
      double[] b,
      int bOffset,
      double[] c,
      int cOffset,
      int n,
      int k,
      int m) {
    for (int i = 0; i < n; i++) {
      int row = cOffset + i * m;
      int p = 0;
      // Four rows of b per pass: each element of c is loaded and stored a quarter as often.
      for (; p + 3 < k; p += 4) {
        double a0 = a[aOffset + i * k + p];
        double a1 = a[aOffset + i * k + p + 1];
        double a2 = a[aOffset + i * k + p + 2];
        double a3 = a[aOffset + i * k + p + 3];
        int b0 = bOffset + p * m;
        int b1 = b0 + m;
        int b2 = b1 + m;
        int b3 = b2 + m;
        for (int j = 0; j < m; j++) {
          c[row + j] += a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
        }
      }
      for (; p < k; p++) {
        double ai = a[aOffset + i * k + p];
        int bRow = bOffset + p * m;
        for (int j = 0; j < m; j++) {
          c[row + j] += ai * b[bRow + j];
        }
      }
    }
  }
}
