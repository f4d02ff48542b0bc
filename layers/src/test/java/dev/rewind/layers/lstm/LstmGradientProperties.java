package dev.rewind.layers.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.check.GradCheckResult;
import dev.rewind.autodiff.check.ParameterGradCheck;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.BpttChecks;
import dev.rewind.layers.Recurrent;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The tape's BPTT through every form of LSTM equals central finite differences, on random sizes and
 * sequences of 1 to 8 steps: first order, the Jacobian of a weighted sum of every output and the
 * final memory with respect to the inputs, the initial state and every parameter of the cell,
 * element by element; second order, the curvature {@code dᵀ H d} of that loss along three random
 * directions d through all of them at once, computed by differentiating the recorded backward pass.
 */
class LstmGradientProperties {
  private static final int DIRECTIONS = 3;

  @Property(tries = 100, seed = "20240611", edgeCases = EdgeCasesMode.NONE)
  void bpttMatchesCentralDifferences(
      @ForAll("forms") LstmCell.Options options,
      @ForAll @IntRange(min = 1, max = 2) int batch,
      @ForAll @IntRange(min = 1, max = 3) int inputSize,
      @ForAll @IntRange(min = 1, max = 3) int hiddenSize,
      @ForAll @IntRange(min = 1, max = 8) int steps,
      @ForAll long seed) {
    Case example = new Case(options, batch, inputSize, hiddenSize, steps, seed);

    GradCheckResult result = example.check().check();

    assertTrue(result.passed(), result::toString);
    assertEquals(example.elementCount(), result.comparisons());
  }

  /**
   * {@code dᵀ H d} for the Hessian H of the loss with respect to every input and parameter and
   * three random directions d, each over all of them at once.
   *
   * <p>NOTE: single elements of H itself can be near 1e-7 next to a zero crossing, where central
   * differences (absolute error near 1e-13) cannot reach 1e-6 relative: about 5% of random cases
   * have one among their thousands of elements. {@code dᵀ H d} sums all of H, so its size is H's,
   * and the default step and tolerance hold.
   */
  @Property(tries = 50, seed = "20240612", edgeCases = EdgeCasesMode.NONE)
  void secondOrderMatchesCentralDifferencesInRandomDirections(
      @ForAll("forms") LstmCell.Options options,
      @ForAll @IntRange(min = 1, max = 2) int batch,
      @ForAll @IntRange(min = 1, max = 3) int inputSize,
      @ForAll @IntRange(min = 1, max = 3) int hiddenSize,
      @ForAll @IntRange(min = 1, max = 8) int steps,
      @ForAll long seed) {
    Case example = new Case(options, batch, inputSize, hiddenSize, steps, seed);
    ParameterGradCheck check = example.check();

    for (int d = 1; d <= DIRECTIONS; d++) {
      GradCheckResult result = check.checkSecondOrderRandomDirection(seed + d);

      assertTrue(result.passed(), result::toString);
      assertEquals(1, result.comparisons());
    }
  }

  @Provide
  Arbitrary<LstmCell.Options> forms() {
    return Arbitraries.of(
        LstmCell.Options.standard(),
        LstmCell.Options.original1997(),
        LstmCell.Options.standard().withPeepholes(),
        LstmCell.Options.original1997().withPeepholes());
  }

  /** A random cell, sequence, initial state and loss weights. */
  private static final class Case {
    private final LstmCell cell;
    private final ImmutableMap<String, Tensor> inputs;
    private final Tensor outputWeights;
    private final Tensor memoryWeights;

    Case(LstmCell.Options options, int batch, int inputSize, int hiddenSize, int steps, long seed) {
      Random random = new Random(seed);
      cell = LstmCell.random(options, inputSize, hiddenSize, random);
      inputs =
          ImmutableMap.of(
              "x", awayFromZero(Shape.of(batch, steps, inputSize), random),
              "h0", awayFromZero(Shape.of(batch, hiddenSize), random),
              "c0", awayFromZero(Shape.of(batch, hiddenSize), random));
      outputWeights = awayFromZero(Shape.of(batch, steps, hiddenSize), random);
      memoryWeights = awayFromZero(Shape.of(batch, hiddenSize), random);
    }

    /** The check of the loss over the inputs, initial h and c, and the cell's parameters. */
    ParameterGradCheck check() {
      return BpttChecks.overInputsAndParameters(inputs, cell, this::loss);
    }

    int elementCount() {
      return BpttChecks.elementCount(inputs, cell);
    }

    /** {@code Σ outputs ⊙ A + Σ c(T) ⊙ B}: every output and the final memory matter. */
    private Var loss(Map<String, Var> in) {
      LstmState initial = new LstmState(in.get("h0"), in.get("c0"));
      Recurrent.Unrolled<LstmState> run = new Recurrent<>(cell).run(in.get("x"), initial, null);
      Var outputs = run.stacked().mul(Var.constant(outputWeights)).sum();
      return outputs.add(run.finalState().c().mul(Var.constant(memoryWeights)).sum());
    }
  }

  /** Uniform in ±[0.1, 1]: no element near 0. */
  static Tensor awayFromZero(Shape shape, Random random) {
    Tensor magnitude = Tensor.randomUniform(shape, 0.1, 1, random);
    Tensor sign = Tensor.randomUniform(shape, -1, 1, random);
    return Pointwise.zip(magnitude, sign, (m, s) -> s < 0 ? -m : m, "awayFromZero");
  }
}
