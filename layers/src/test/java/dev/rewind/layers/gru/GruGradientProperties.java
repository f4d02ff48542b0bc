package dev.rewind.layers.gru;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * The tape's BPTT through both forms of GRU equals central finite differences: the Jacobian of a
 * weighted sum of every output with respect to the inputs, the initial state and every weight, on
 * random sizes and sequences of 1 to 8 steps.
 */
class GruGradientProperties {
  // NOTE: the finite-difference step, not the tolerance (which stays 1e-6): with the default 1e-6,
  // rounding noise near 1e-10 |f| / eps exceeds 1e-6 relative on the gradients of 1e-5 that
  // products of gates produce; 3e-5 balances it against the truncation error eps^2 |f'''| / 6.
  private static final double EPS = 3e-5;

  @Property(tries = 100, seed = "20240613", edgeCases = EdgeCasesMode.NONE)
  void bpttMatchesCentralDifferences(
      @ForAll GruCell.Form form,
      @ForAll @IntRange(min = 1, max = 2) int batch,
      @ForAll @IntRange(min = 1, max = 3) int inputSize,
      @ForAll @IntRange(min = 1, max = 3) int hiddenSize,
      @ForAll @IntRange(min = 1, max = 8) int steps,
      @ForAll long seed) {
    Random random = new Random(seed);
    GruCell template = GruCell.random(form, inputSize, hiddenSize, random);
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
                  GruCell cell = template.withWeights(in.subList(2, in.size()));
                  Recurrent.Unrolled<HiddenState> run =
                      new Recurrent<>(cell).run(in.get(0), new HiddenState(in.get(1)), null);
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
