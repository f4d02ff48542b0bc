package dev.rewind.layers.loss;

import static dev.rewind.layers.SequenceFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.Random;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Mean squared error and binary cross-entropy on logits: their values, their gradients ({@code 2(p
 * − t)} and {@code sigmoid(x) − z}), and masks over the steps of a sequence.
 */
class RegressionLossesTest {

  @Property(tries = 50, edgeCases = EdgeCasesMode.NONE)
  void squaredErrorGradientIsTwiceTheResidual(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 4) int rows,
      @ForAll @IntRange(min = 1, max = 4) int columns) {
    Random random = new Random(seed);
    Tensor p = Tensor.randomNormal(Shape.of(rows, columns), 0, 2, random);
    Tensor t = Tensor.randomNormal(Shape.of(rows, columns), 0, 2, random);
    try (Tape tape = Tape.record()) {
      Var predictions = Var.constant(p);
      Var sum = Losses.meanSquaredError(predictions, Var.constant(t), Reduction.SUM, null);
      Tensor residual = Pointwise.sub(p, t);

      assertEquals(
          sumOf(Pointwise.mul(residual, residual)), sum.value().item(), 1e-12 * sum.value().item());
      assertClose(
          Pointwise.scale(residual, 2), tape.gradient(sum, predictions).tensor(predictions), "2r");
      Var mean = Losses.meanSquaredError(predictions, Var.constant(t));
      assertEquals(sum.value().item() / (rows * columns), mean.value().item(), 1e-12);
    }
  }

  @Test
  void aStepMaskCoversEveryFeatureOfTheStep() {
    Tensor p = Tensor.of(new double[][][] {{{1, 2}, {3, 4}, {50, 60}}});
    Tensor t = Tensor.zeros(1, 3, 2);
    Tensor mask = Tensor.matrix(new double[][] {{1, 1, 0}});
    Var predictions = Var.constant(p);

    Var sum = Losses.meanSquaredError(predictions, Var.constant(t), Reduction.SUM, mask);
    Var mean = Losses.meanSquaredError(predictions, Var.constant(t), Reduction.MEAN, mask);
    Var none = Losses.meanSquaredError(predictions, Var.constant(t), Reduction.NONE, mask);

    assertEquals(1 + 4 + 9 + 16, sum.value().item());
    assertEquals(30.0 / 4, mean.value().item());
    assertEquals(Tensor.of(new double[][][] {{{1, 4}, {9, 16}, {0, 0}}}), none.value());
  }

  @Test
  void aMaskWithNothingRealGivesZeroNotNaN() {
    Var p = Var.constant(Tensor.ones(2, 3));
    Tensor mask = Tensor.zeros(2, 3);

    assertEquals(0.0, Losses.meanSquaredError(p, p.neg(), Reduction.MEAN, mask).value().item());
    assertEquals(
        0.0,
        Losses.binaryCrossEntropyWithLogits(p, Tensor.ones(2, 3), Reduction.MEAN, mask)
            .value()
            .item());
  }

  @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
  void binaryCrossEntropyGradientIsSigmoidMinusTarget(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 12) int size, @ForAll boolean huge) {
    Random random = new Random(seed);
    double scale = huge ? 1000 : 6;
    double[] logits = new double[size];
    for (int i = 0; i < size; i++) {
      // Exactly 0 is where an abs/relu decomposition would go wrong; include it often.
      logits[i] = random.nextInt(4) == 0 ? 0 : (2 * random.nextDouble() - 1) * scale;
    }
    Tensor x = Tensor.vector(logits);
    Tensor z = Tensor.randomUniform(Shape.of(size), 0, 1, random);
    try (Tape tape = Tape.record()) {
      Var u = Var.constant(x);
      Var losses = Losses.binaryCrossEntropyWithLogits(u, z, Reduction.NONE, null);
      Tensor gradient = tape.gradient(losses.sum(), u).tensor(u);

      double[] expectedLoss = new double[size];
      double[] expectedGradient = new double[size];
      for (int i = 0; i < size; i++) {
        double s = 1 / (1 + Math.exp(-logits[i]));
        expectedGradient[i] = s - z.getFlat(i);
        // The naive −z log σ − (1 − z) log(1 − σ), with log(1 − σ) = −x + log σ, kept finite.
        double logSigmoid = -Math.log1p(Math.exp(-Math.abs(logits[i]))) + Math.min(logits[i], 0);
        expectedLoss[i] =
            -z.getFlat(i) * logSigmoid - (1 - z.getFlat(i)) * (logSigmoid - logits[i]);
      }
      assertTrue(losses.value().isFinite());
      assertClose(Tensor.vector(expectedGradient), gradient, "sigmoid(x) − z");
      assertClose(Tensor.vector(expectedLoss), losses.value(), "losses");
    }
  }

  @Test
  void binaryCrossEntropyAtZeroIsLogTwoWithGradientOneHalfMinusTarget() {
    try (Tape tape = Tape.record()) {
      Var x = Var.constant(Tensor.zeros(3));
      Var loss =
          Losses.binaryCrossEntropyWithLogits(x, Tensor.vector(0, 0.25, 1), Reduction.SUM, null);

      assertEquals(3 * Math.log(2), loss.value().item(), 1e-15);
      assertEquals(Tensor.vector(0.5, 0.25, -0.5), tape.gradient(loss, x).tensor(x));
    }
  }

  private static double sumOf(Tensor t) {
    double sum = 0;
    for (double v : t.toArray()) {
      sum += v;
    }
    return sum;
  }
}
