package dev.rewind.autodiff.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.check.TensorArbitraries;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Inverted dropout behaves as PyTorch's {@code F.dropout}: the identity out of training, and in
 * training a seeded mask that zeros about p of the elements, scales the others by exactly 1 / (1 −
 * p), and leaves the expectation unchanged. The statistical bounds are 5 standard deviations wide
 * and the seeds are fixed, so these checks give the same verdict on every run.
 */
class DropoutProperties {
  private static final int ELEMENTS = 20_000;

  @Property(tries = 30, edgeCases = EdgeCasesMode.NONE)
  void evaluationModeIsTheIdentityAndRecordsAndDrawsNothing(
      @ForAll("inputs") Tensor x,
      @ForAll @DoubleRange(min = 0, max = 1) double p,
      @ForAll @LongRange(min = 0, max = 1000) long seed) {
    Var input = Var.constant(x);
    Random random = new Random(seed);

    try (Tape tape = Tape.record()) {
      Var output = input.dropout(p, false, random);

      assertSame(input, output);
      assertEquals(0, tape.size());
    }
    assertEquals(new Random(seed).nextLong(), random.nextLong(), "evaluation drew numbers");
  }

  @Property(tries = 20, edgeCases = EdgeCasesMode.NONE)
  void sameSeedGivesTheSameMask(
      @ForAll("inputs") Tensor x, @ForAll @LongRange(min = 0, max = 1000) long seed) {
    Var input = Var.constant(x);

    Var first = input.dropout(0.5, true, new Random(seed));
    Var second = input.dropout(0.5, true, new Random(seed));

    assertEquals(first.value(), second.value());
  }

  @Example
  void differentSeedsGiveDifferentMasks() {
    Shape shape = Shape.of(ELEMENTS);

    assertNotEquals(
        Tensor.dropoutMask(shape, 0.5, new Random(1)),
        Tensor.dropoutMask(shape, 0.5, new Random(2)));
  }

  @Example
  void trainingZerosAboutPOfTheElementsAndScalesTheOthersByExactlyOneOverOneMinusP() {
    Tensor x = Tensor.randomUniform(Shape.of(ELEMENTS), 0.5, 2.0, new Random(3));
    for (double p : new double[] {0.1, 0.25, 0.5, 0.9}) {
      double[] in = x.toArray();
      double[] out = drop(x, p, 4).toArray();
      int zeros = 0;
      for (int i = 0; i < in.length; i++) {
        if (out[i] == 0) {
          zeros++;
        } else {
          assertEquals(in[i] * (1.0 / (1.0 - p)), out[i], 0.0, "element " + i + ", p = " + p);
        }
      }
      double sd = Math.sqrt(ELEMENTS * p * (1 - p));
      assertTrue(Math.abs(zeros - ELEMENTS * p) < 5 * sd, "p = " + p + ": zeros " + zeros);
    }
  }

  @Example
  void expectationOfDropoutIsTheInput() {
    Tensor x = Tensor.vector(1.5, -0.5, 2.0, -1.0);
    double p = 0.3;
    int draws = 5_000;
    Random random = new Random(5);
    double[] sum = new double[x.size()];
    for (int n = 0; n < draws; n++) {
      double[] out = Var.constant(x).dropout(p, true, random).value().toArray();
      for (int i = 0; i < sum.length; i++) {
        sum[i] += out[i];
      }
    }
    for (int i = 0; i < sum.length; i++) {
      double xi = x.toArray()[i];
      // Each draw is x / (1 - p) with probability 1 - p, else 0: variance x² p / (1 - p).
      double sdOfMean = Math.abs(xi) * Math.sqrt(p / (1 - p) / draws);
      assertEquals(xi, sum[i] / draws, 5 * sdOfMean, "element " + i);
    }
  }

  @Example
  void probabilityOneGivesZerosAndProbabilityZeroTheInputItself() {
    Var x = Var.constant(Tensor.vector(1, -2, 3));

    // x * 0, as PyTorch computes it: a negative element becomes -0.
    assertEquals(Tensor.vector(0, -0.0, 0), x.dropout(1.0, true, new Random(6)).value());
    assertSame(x, x.dropout(0.0, true, new Random(6)));
  }

  @Example
  void backwardMultipliesByTheSameMask() {
    Var x = Var.constant(Tensor.randomUniform(Shape.of(50), 0.5, 2.0, new Random(7)));
    Tensor mask = Tensor.dropoutMask(x.shape(), 0.4, new Random(8));

    try (Tape tape = Tape.record()) {
      Var y = x.dropout(0.4, true, new Random(8));

      assertEquals(mask, tape.gradient(y.sum(), x).tensor(x));
    }
  }

  @Provide
  Arbitrary<Tensor> inputs() {
    return TensorArbitraries.shapes(1, 3, 4)
        .flatMap(shape -> TensorArbitraries.tensors(shape, -2, 2));
  }

  private static Tensor drop(Tensor x, double p, long seed) {
    return Var.constant(x).dropout(p, true, new Random(seed)).value();
  }
}
