package dev.rewind.layers.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.check.GradCheck;
import dev.rewind.autodiff.check.GradCheckResult;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Recurrent;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
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
 * final memory with respect to the inputs, the initial state and every weight, element by element;
 * second order, the Hessian of that loss in the plane of three random directions through all of
 * them at once, computed by differentiating the recorded backward pass.
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

    GradCheckResult result = GradCheck.of(example.loss()).check(example.inputs());

    assertTrue(result.passed(), result::toString);
    assertEquals(example.elementCount(), result.comparisons());
  }

  /**
   * {@code Dᵀ H D} for the Hessian H of the loss with respect to every input and weight and a
   * random {@code D} of three columns: the Hessian of {@code t ↦ loss(θ + D t)} at {@code t = 0}.
   *
   * <p>NOTE: single elements of H itself can be near 1e-7 next to a zero crossing, where central
   * differences (absolute error near 1e-13) cannot reach 1e-6 relative: about 5% of random cases
   * have one among their thousands of elements. Each element of {@code Dᵀ H D} sums all of H, so
   * its size is H's, and the default step and tolerance hold with a margin (worst 5e-8 over 200
   * random cases of these sizes).
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
    Tensor[] origin = new Tensor[DIRECTIONS];
    for (int d = 0; d < DIRECTIONS; d++) {
      origin[d] = Tensor.scalar(0);
    }

    GradCheckResult result =
        GradCheck.of(example.lossAlongDirections(DIRECTIONS, seed)).checkSecondOrder(origin);

    assertTrue(result.passed(), result::toString);
    assertEquals(DIRECTIONS * DIRECTIONS, result.comparisons());
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
    private final LstmCell template;
    private final Tensor x;
    private final Tensor h0;
    private final Tensor c0;
    private final Tensor outputWeights;
    private final Tensor memoryWeights;

    Case(LstmCell.Options options, int batch, int inputSize, int hiddenSize, int steps, long seed) {
      Random random = new Random(seed);
      template = LstmCell.random(options, inputSize, hiddenSize, random);
      x = awayFromZero(Shape.of(batch, steps, inputSize), random);
      h0 = awayFromZero(Shape.of(batch, hiddenSize), random);
      c0 = awayFromZero(Shape.of(batch, hiddenSize), random);
      outputWeights = awayFromZero(Shape.of(batch, steps, hiddenSize), random);
      memoryWeights = awayFromZero(Shape.of(batch, hiddenSize), random);
    }

    /** Inputs, initial h and c, then the cell's weights in the order of namedParameters(). */
    Tensor[] inputs() {
      List<Tensor> inputs = new ArrayList<>(List.of(x, h0, c0));
      for (Parameter parameter : template.parameters()) {
        inputs.add(parameter.value());
      }
      return inputs.toArray(new Tensor[0]);
    }

    int elementCount() {
      int count = 0;
      for (Tensor input : inputs()) {
        count += input.size();
      }
      return count;
    }

    /** The loss as a function of the inputs, initial h and c, and every weight. */
    Function<List<Var>, Var> loss() {
      return in -> loss(in);
    }

    /**
     * {@code t ↦ loss(θ + Σ_d t_d v_d)} for {@code count} standard-normal directions {@code v_d}
     * through all of {@link #inputs}, drawn with {@code seed}.
     */
    Function<List<Var>, Var> lossAlongDirections(int count, long seed) {
      Random random = new Random(seed + 1);
      Tensor[] origin = inputs();
      List<List<Tensor>> directions = new ArrayList<>();
      for (int d = 0; d < count; d++) {
        List<Tensor> direction = new ArrayList<>();
        for (Tensor input : origin) {
          direction.add(Tensor.randomNormal(input.shape(), 0, 1, random));
        }
        directions.add(direction);
      }
      return t -> {
        List<Var> moved = new ArrayList<>();
        for (int i = 0; i < origin.length; i++) {
          Var value = Var.constant(origin[i]);
          for (int d = 0; d < count; d++) {
            value = value.add(t.get(d).mul(Var.constant(directions.get(d).get(i))));
          }
          moved.add(value);
        }
        return loss(moved);
      };
    }

    /** {@code Σ outputs ⊙ A + Σ c(T) ⊙ B}: every output and the final memory matter. */
    private Var loss(List<Var> in) {
      LstmCell cell = template.withWeights(in.subList(3, in.size()));
      Recurrent.Unrolled<LstmState> run =
          new Recurrent<>(cell).run(in.get(0), new LstmState(in.get(1), in.get(2)), null);
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
