package dev.rewind.layers.leaky;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import dev.rewind.autodiff.check.GradCheck;
import dev.rewind.autodiff.check.GradCheckResult;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Recurrent;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The tape's BPTT through leaky units (α fixed or learned) and through skip connections in time
 * equals central finite differences: the Jacobian of a weighted sum of every output with respect to
 * the inputs, the initial state and every weight, on random sizes and sequences of 1 to 8 steps.
 */
class LeakyAndSkipGradientProperties {
  // NOTE: the finite-difference step, not the tolerance (which stays 1e-6): with the default 1e-6,
  // rounding noise near 1e-10 |f| / eps exceeds 1e-6 relative on gradients of 1e-5; 3e-5 balances
  // it against the truncation error eps^2 |f'''| / 6.
  private static final double EPS = 3e-5;

  @Property(tries = 100, seed = "20240614", edgeCases = EdgeCasesMode.NONE)
  void leakyBpttMatchesCentralDifferences(
      @ForAll LeakyCell.Leak leak,
      @ForAll @IntRange(min = 1, max = 2) int batch,
      @ForAll @IntRange(min = 1, max = 3) int inputSize,
      @ForAll @IntRange(min = 1, max = 3) int hiddenSize,
      @ForAll @IntRange(min = 1, max = 8) int steps,
      @ForAll long seed) {
    Random random = new Random(seed);
    LeakyCell template = LeakyCell.random(inputSize, hiddenSize, leak, random);
    Tensor x = awayFromZero(Shape.of(batch, steps, inputSize), random);
    Tensor h0 = awayFromZero(Shape.of(batch, hiddenSize), random);
    Tensor outputWeights = awayFromZero(Shape.of(batch, steps, hiddenSize), random);
    List<Tensor> inputs = new ArrayList<>(List.of(x, h0));
    for (Parameter parameter : template.parameters()) {
      inputs.add(parameter.value());
    }

    GradCheckResult result =
        GradCheck.of(
                in -> {
                  LeakyCell cell = template.withWeights(in.subList(2, in.size()));
                  Recurrent.Unrolled<HiddenState> run =
                      new Recurrent<>(cell).run(in.get(0), new HiddenState(in.get(1)), null);
                  return run.stacked().mul(Var.constant(outputWeights)).sum();
                })
            .eps(EPS)
            .check(inputs.toArray(new Tensor[0]));

    assertTrue(result.passed(), result::toString);
    assertEquals(inputs.stream().mapToInt(Tensor::size).sum(), result.comparisons());
  }

  @Property(tries = 100, seed = "20240615", edgeCases = EdgeCasesMode.NONE)
  void skipBpttMatchesCentralDifferences(
      @ForAll @IntRange(min = 1, max = 4) int delay,
      @ForAll @IntRange(min = 1, max = 2) int batch,
      @ForAll @IntRange(min = 1, max = 3) int inputSize,
      @ForAll @IntRange(min = 1, max = 3) int hiddenSize,
      @ForAll @IntRange(min = 1, max = 8) int steps,
      @ForAll long seed) {
    Random random = new Random(seed);
    SkipCell template = SkipCell.random(inputSize, hiddenSize, delay, random);
    Tensor x = awayFromZero(Shape.of(batch, steps, inputSize), random);
    Tensor history = awayFromZero(Shape.of(delay, batch, hiddenSize), random);
    Tensor outputWeights = awayFromZero(Shape.of(batch, steps, hiddenSize), random);
    List<Tensor> inputs = new ArrayList<>(List.of(x, history));
    for (Parameter parameter : template.parameters()) {
      inputs.add(parameter.value());
    }

    GradCheckResult result =
        GradCheck.of(
                in -> {
                  SkipCell cell = template.withWeights(in.subList(2, in.size()));
                  SkipState initial = new SkipState(ImmutableList.copyOf(in.get(1).unstack(0)));
                  Recurrent.Unrolled<SkipState> run =
                      new Recurrent<>(cell).run(in.get(0), initial, null);
                  return run.stacked().mul(Var.constant(outputWeights)).sum();
                })
            .eps(EPS)
            .check(inputs.toArray(new Tensor[0]));

    assertTrue(result.passed(), result::toString);
    assertEquals(inputs.stream().mapToInt(Tensor::size).sum(), result.comparisons());
  }

  /** Uniform in ±[0.1, 1]: no element near 0. */
  static Tensor awayFromZero(Shape shape, Random random) {
    Tensor magnitude = Tensor.randomUniform(shape, 0.1, 1, random);
    Tensor sign = Tensor.randomUniform(shape, -1, 1, random);
    return Pointwise.zip(magnitude, sign, (m, s) -> s < 0 ? -m : m, "awayFromZero");
  }
}
