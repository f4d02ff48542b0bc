package dev.rewind.layers.init;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.Random;

/** Seeded weight initialisers; the same {@code Random} state gives the same weights. */
public final class Initializers {
  private Initializers() {}

  /**
   * Uniform in {@code [-1/√hidden, 1/√hidden]}: PyTorch's default for every RNN weight and bias.
   */
  public static Tensor uniformRecurrent(Shape shape, int hiddenSize, Random random) {
    checkArgument(hiddenSize > 0, "uniformRecurrent: hidden size %s must be positive", hiddenSize);
    double bound = 1 / Math.sqrt(hiddenSize);
    return Tensor.randomUniform(shape, -bound, bound, random);
  }

  /**
   * Glorot (Xavier) uniform for a {@code [fanIn, fanOut]} matrix: bound {@code √(6 / (fanIn +
   * fanOut))}.
   */
  public static Tensor glorotUniform(int fanIn, int fanOut, Random random) {
    double bound = Math.sqrt(6.0 / (fanIn + fanOut));
    return Tensor.randomUniform(Shape.of(fanIn, fanOut), -bound, bound, random);
  }

  /**
   * A random {@code [n, n]} orthogonal matrix (Gram–Schmidt, twice, on a Gaussian matrix): every
   * singular value is 1, so a linear recurrence neither explodes nor vanishes at the start of
   * training.
   */
  public static Tensor orthogonal(int n, Random random) {
    double[][] rows = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        rows[i][j] = random.nextGaussian();
      }
      // Twice is enough (Kahan, Parlett): one pass leaves a row orthogonal to the others only to
      // about κ ε, which passes 1e-12 for some Gaussian matrices of 64 rows; a second pass brings
      // it down to a few ε.
      for (int pass = 0; pass < 2; pass++) {
        for (int previous = 0; previous < i; previous++) {
          double dot = 0;
          for (int j = 0; j < n; j++) {
            dot += rows[i][j] * rows[previous][j];
          }
          for (int j = 0; j < n; j++) {
            rows[i][j] -= dot * rows[previous][j];
          }
        }
      }
      double norm = 0;
      for (int j = 0; j < n; j++) {
        norm += rows[i][j] * rows[i][j];
      }
      norm = Math.sqrt(norm);
      for (int j = 0; j < n; j++) {
        rows[i][j] /= norm;
      }
    }
    return Tensor.matrix(rows);
  }
}
