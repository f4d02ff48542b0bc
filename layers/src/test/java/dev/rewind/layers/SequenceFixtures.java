package dev.rewind.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.init.Initializers;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded tensors, masks and comparisons shared by the tests of unrolled sequences. */
public final class SequenceFixtures {
  /** How close two computations of the same gradient by the tape must be: 1e-12 relative. */
  public static final double EXACT = 1e-12;

  private SequenceFixtures() {}

  public static Tensor normal(Random random, double scale, int... dims) {
    return Tensor.randomNormal(Shape.of(dims), 0, scale, random);
  }

  /** Uniform in ±[0.1, 1] times {@code scale}: no element near 0. */
  public static Tensor awayFromZero(Random random, double scale, int... dims) {
    return magnitudesBetween(random, 0.1 * scale, scale, dims);
  }

  /** Magnitudes uniform in [low, high], signs random. */
  public static Tensor magnitudesBetween(Random random, double low, double high, int... dims) {
    Shape shape = Shape.of(dims);
    Tensor magnitude = Tensor.randomUniform(shape, low, high, random);
    Tensor sign = Tensor.randomUniform(shape, -1, 1, random);
    return Pointwise.zip(magnitude, sign, (m, s) -> s < 0 ? -m : m, "awayFromZero");
  }

  /**
   * A random orthogonal {@code [n, n]} matrix: a recurrent weight that neither shrinks nor grows
   * the state, so that gradients through a long unroll stay well above the noise of finite
   * differences.
   */
  public static Tensor orthogonal(Random random, int n) {
    return Initializers.orthogonal(n, random);
  }

  /** A prefix mask: sequence b is real for its first length_b steps, length_b in [1, steps]. */
  public static Tensor lengthMask(Random random, int batch, int steps) {
    double[] values = new double[batch * steps];
    for (int b = 0; b < batch; b++) {
      int length = 1 + random.nextInt(steps);
      for (int t = 0; t < length; t++) {
        values[b * steps + t] = 1;
      }
    }
    return Tensor.of(Shape.of(batch, steps), values);
  }

  /** Any pattern of 0 and 1; with {@code everyRowReal}, each row has at least one 1. */
  public static Tensor randomMask(Random random, int batch, int steps, boolean everyRowReal) {
    double[] values = new double[batch * steps];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextBoolean() ? 1 : 0;
    }
    if (everyRowReal) {
      for (int b = 0; b < batch; b++) {
        values[b * steps + random.nextInt(steps)] = 1;
      }
    }
    return Tensor.of(Shape.of(batch, steps), values);
  }

  /** The steps of sequence {@code row} where the mask is 1, in order. */
  public static int[] realSteps(Tensor mask, int row) {
    List<Integer> real = new ArrayList<>();
    for (int t = 0; t < mask.shape().dim(1); t++) {
      if (mask.get(row, t) != 0) {
        real.add(t);
      }
    }
    return real.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Steps {@code steps} of sequence {@code row} of a {@code [batch, time, f]} tensor: {@code [1, n,
   * f]}.
   */
  public static Tensor pick(Tensor sequences, int row, int[] steps) {
    Tensor sequence = Layout.slice(sequences, 0, row, row + 1);
    List<Tensor> picked = new ArrayList<>();
    for (int t : steps) {
      picked.add(Layout.slice(sequence, 1, t, t + 1));
    }
    return Layout.concat(picked, 1);
  }

  /** Row {@code row} of a tensor, keeping the batch axis. */
  public static Tensor row(Tensor t, int row) {
    return Layout.slice(t, 0, row, row + 1);
  }

  /** Element by element, {@code |expected − actual| <= 1e-12 max(1, |expected|)}. */
  public static void assertClose(Tensor expected, Tensor actual, String what) {
    assertEquals(expected.shape(), actual.shape(), what);
    for (int i = 0; i < expected.size(); i++) {
      double e = expected.getFlat(i);
      double a = actual.getFlat(i);
      assertTrue(
          Math.abs(e - a) <= EXACT * Math.max(1, Math.abs(e)),
          what + " at flat position " + i + ": expected " + e + " but was " + a);
    }
  }
}
