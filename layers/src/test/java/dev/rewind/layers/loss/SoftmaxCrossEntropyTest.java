package dev.rewind.layers.loss;

import static dev.rewind.layers.SequenceFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.Random;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Softmax cross-entropy is fused and stable: logits of ±1000 give finite losses, and its gradient
 * is note 000's {@code softmax(u) − onehot(d)} (per row, with {@link Reduction#SUM}).
 */
class SoftmaxCrossEntropyTest {

  @Test
  void logitsOfPlusMinusAThousandGiveFiniteLossesAndGradients() {
    Tensor logits = Tensor.matrix(new double[][] {{1000, -1000, 0}, {-1000, 1000, 1000}});
    try (Tape tape = Tape.record()) {
      Var u = Var.constant(logits);
      Var loss = Losses.softmaxCrossEntropy(u, new int[] {1, 0}, Reduction.NONE);
      Tensor gradient = tape.gradient(loss.sum(), u).tensor(u);

      // Row 0: -log softmax = 1000 + 1000 + log(1 + e^-1000 + e^-2000) = 2000.
      // Row 1: 1000 + 1000 + log 2.
      assertClose(Tensor.vector(2000, 2000 + Math.log(2)), loss.value(), "losses");
      assertTrue(gradient.isFinite(), gradient::toString);
      assertClose(
          Tensor.matrix(new double[][] {{1, -1, 0}, {-1, 0.5, 0.5}}), gradient, "softmax − onehot");
    }
  }

  @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
  void gradientIsSoftmaxMinusOneHot(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 6) int rows,
      @ForAll @IntRange(min = 1, max = 6) int classes,
      @ForAll boolean huge) {
    Random random = new Random(seed);
    double scale = huge ? 1000 : 3;
    Tensor logits = Tensor.randomUniform(Shape.of(rows, classes), -scale, scale, random);
    int[] targets = random.ints(rows, 0, classes).toArray();
    try (Tape tape = Tape.record()) {
      Var u = Var.constant(logits);
      Var loss = Losses.softmaxCrossEntropy(u, targets, Reduction.SUM);

      assertTrue(Double.isFinite(loss.value().item()));
      assertClose(
          softmaxMinusOneHot(logits, targets), tape.gradient(loss, u).tensor(u), "gradient");
    }
  }

  @Property(tries = 50, edgeCases = EdgeCasesMode.NONE)
  void meanIsTheSumOverTheUnmaskedRowsDividedByTheirNumber(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int rows) {
    Random random = new Random(seed);
    Tensor logits = Tensor.randomNormal(Shape.of(rows, 4), 0, 2, random);
    int[] targets = random.ints(rows, 0, 4).toArray();
    double[] maskValues = new double[rows];
    double expectedSum = 0;
    int real = 0;
    for (int n = 0; n < rows; n++) {
      maskValues[n] = random.nextBoolean() ? 1 : 0;
      if (maskValues[n] == 1) {
        expectedSum += -Math.log(softmax(logits, n)[targets[n]]);
        real++;
      } else {
        targets[n] = -1; // a padding index is not looked at
      }
    }
    Tensor mask = Tensor.vector(maskValues);
    Var u = Var.constant(logits);

    double sum = Losses.softmaxCrossEntropy(u, targets, Reduction.SUM, mask).value().item();
    double mean = Losses.softmaxCrossEntropy(u, targets, Reduction.MEAN, mask).value().item();

    assertEquals(expectedSum, sum, 1e-12 * Math.max(1, expectedSum));
    assertEquals(real == 0 ? 0 : expectedSum / real, mean, 1e-12 * Math.max(1, expectedSum));
  }

  @Test
  void maskedRowsGetNoGradient() {
    Tensor logits = Tensor.matrix(new double[][] {{1, 2, 3}, {3, 2, 1}, {0, 0, 5}});
    Tensor mask = Tensor.vector(1, 0, 1);
    try (Tape tape = Tape.record()) {
      Var u = Var.constant(logits);
      Var loss = Losses.softmaxCrossEntropy(u, new int[] {2, -1, 0}, Reduction.MEAN, mask);
      Tensor gradient = tape.gradient(loss, u).tensor(u);

      Tensor expected = softmaxMinusOneHot(logits, new int[] {2, 0, 0});
      for (int c = 0; c < 3; c++) {
        assertEquals(expected.get(0, c) / 2, gradient.get(0, c), 1e-15);
        assertEquals(0.0, gradient.get(1, c), 0.0);
        assertEquals(expected.get(2, c) / 2, gradient.get(2, c), 1e-15);
      }
    }
  }

  @Property(tries = 50, edgeCases = EdgeCasesMode.NONE)
  void sequencesGiveTheLossOfTheirFlattenedSteps(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 3) int batch,
      @ForAll @IntRange(min = 1, max = 5) int steps,
      @ForAll @IntRange(min = 1, max = 4) int classes) {
    Random random = new Random(seed);
    Tensor logits = Tensor.randomNormal(Shape.of(batch, steps, classes), 0, 2, random);
    int[][] targets = new int[batch][];
    int[] flat = new int[batch * steps];
    for (int b = 0; b < batch; b++) {
      targets[b] = random.ints(steps, 0, classes).toArray();
      System.arraycopy(targets[b], 0, flat, b * steps, steps);
    }
    Tensor mask = Tensor.randomUniform(Shape.of(batch, steps), 0, 1, random);
    mask =
        Tensor.of(mask.shape(), java.util.Arrays.stream(mask.toArray()).map(Math::rint).toArray());
    Var u = Var.constant(logits);

    for (Reduction reduction : Reduction.values()) {
      Var sequences = Losses.softmaxCrossEntropy(u, targets, reduction, mask);
      Var rows =
          Losses.softmaxCrossEntropy(
              u.reshape(batch * steps, classes),
              flat,
              reduction,
              mask.reshape(Shape.of(batch * steps)));
      Tensor expected =
          reduction == Reduction.NONE ? rows.value().reshape(Shape.of(batch, steps)) : rows.value();
      assertClose(expected, sequences.value(), reduction.toString());
    }
  }

  private static Tensor softmaxMinusOneHot(Tensor logits, int[] targets) {
    int rows = logits.shape().dim(0);
    int classes = logits.shape().dim(1);
    double[] values = new double[rows * classes];
    for (int n = 0; n < rows; n++) {
      double[] p = softmax(logits, n);
      for (int c = 0; c < classes; c++) {
        values[n * classes + c] = p[c] - (c == targets[n] ? 1 : 0);
      }
    }
    return Tensor.of(logits.shape(), values);
  }

  /** Row {@code n} of softmax, computed here in plain Java with the maximum subtracted. */
  private static double[] softmax(Tensor logits, int n) {
    int classes = logits.shape().dim(1);
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < classes; c++) {
      max = Math.max(max, logits.get(n, c));
    }
    double[] p = new double[classes];
    double total = 0;
    for (int c = 0; c < classes; c++) {
      p[c] = Math.exp(logits.get(n, c) - max);
      total += p[c];
    }
    for (int c = 0; c < classes; c++) {
      p[c] /= total;
    }
    return p;
  }
}
