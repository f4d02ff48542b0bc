package dev.rewind.layers.seq;

import static dev.rewind.layers.SequenceFixtures.awayFromZero;
import static dev.rewind.layers.SequenceFixtures.orthogonal;
import static dev.rewind.layers.SequenceFixtures.randomMask;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.check.GradCheck;
import dev.rewind.autodiff.check.GradCheckResult;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Recurrent.Unrolled;
import dev.rewind.layers.loss.Losses;
import dev.rewind.layers.loss.Reduction;
import java.util.List;
import java.util.Random;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Every scenario passes the first-order gradient check: the gradient of a small loss with respect
 * to the inputs, the initial state and every weight against central differences, on random sizes,
 * sequences of 1 to 8 steps and random masks (holes included).
 */
class ScenarioGradientProperties {

  @Property(tries = 60, seed = "20261201", edgeCases = EdgeCasesMode.NONE)
  void manyToManyPassesTheGradientCheck(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 3) int batch,
      @ForAll @IntRange(min = 1, max = 8) int steps,
      @ForAll @IntRange(min = 1, max = 3) int features,
      @ForAll @IntRange(min = 1, max = 3) int hidden,
      @ForAll @IntRange(min = 1, max = 3) int classes) {
    Random random = new Random(seed);
    Tensor mask = randomMask(random, batch, steps, false);
    int[][] targets = targets(random, batch, steps, classes);

    check(
        in -> {
          ManyToMany<HiddenState> scenario =
              new ManyToMany<>(
                  Cells.tanh(in.get(1), in.get(2), in.get(3)), Cells.affine(in.get(4), in.get(5)));
          Unrolled<HiddenState> run = scenario.run(in.get(0), new HiddenState(in.get(6)), mask);
          return Losses.softmaxCrossEntropy(run.stacked(), targets, Reduction.SUM, mask);
        },
        awayFromZero(random, 1, batch, steps, features),
        awayFromZero(random, 0.5, features, hidden),
        orthogonal(random, hidden),
        awayFromZero(random, 0.2, hidden),
        awayFromZero(random, 1, hidden, classes),
        awayFromZero(random, 0.5, classes),
        awayFromZero(random, 0.5, batch, hidden));
  }

  @Property(tries = 60, seed = "20261202", edgeCases = EdgeCasesMode.NONE)
  void manyToOnePassesTheGradientCheck(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 3) int batch,
      @ForAll @IntRange(min = 1, max = 8) int steps,
      @ForAll @IntRange(min = 1, max = 3) int features,
      @ForAll @IntRange(min = 1, max = 3) int hidden,
      @ForAll @IntRange(min = 1, max = 3) int classes) {
    Random random = new Random(seed);
    Tensor mask = randomMask(random, batch, steps, true);
    int[] targets = random.ints(batch, 0, classes).toArray();

    check(
        in -> {
          ManyToOne<HiddenState> scenario =
              new ManyToOne<>(
                  Cells.tanh(in.get(1), in.get(2), in.get(3)), Cells.affine(in.get(4), in.get(5)));
          ManyToOne.Result<HiddenState> run = scenario.run(in.get(0), null, mask);
          return Losses.softmaxCrossEntropy(run.output(), targets, Reduction.SUM);
        },
        awayFromZero(random, 1, batch, steps, features),
        awayFromZero(random, 0.5, features, hidden),
        orthogonal(random, hidden),
        awayFromZero(random, 0.2, hidden),
        awayFromZero(random, 1, hidden, classes),
        awayFromZero(random, 0.5, classes));
  }

  @Property(tries = 60, seed = "20261203", edgeCases = EdgeCasesMode.NONE)
  void oneToManyPassesTheGradientCheck(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 3) int batch,
      @ForAll @IntRange(min = 1, max = 8) int steps,
      @ForAll @IntRange(min = 1, max = 3) int features,
      @ForAll @IntRange(min = 1, max = 3) int hidden) {
    Random random = new Random(seed);
    Tensor targets = awayFromZero(random, 1, batch, steps, features);

    check(
        in -> {
          OneToMany<HiddenState> scenario =
              new OneToMany<>(
                  Cells.tanh(in.get(1), in.get(2), in.get(3)), Cells.affine(in.get(4), in.get(5)));
          Unrolled<HiddenState> run = scenario.run(in.get(0), new HiddenState(in.get(6)), steps);
          return Losses.meanSquaredError(run.stacked(), Var.constant(targets), Reduction.SUM, null);
        },
        awayFromZero(random, 1, batch, features),
        awayFromZero(random, 0.5, features, hidden),
        orthogonal(random, hidden),
        awayFromZero(random, 0.2, hidden),
        awayFromZero(random, 0.5, hidden, features),
        awayFromZero(random, 0.5, features),
        awayFromZero(random, 0.5, batch, hidden));
  }

  @Property(tries = 40, seed = "20261204", edgeCases = EdgeCasesMode.NONE)
  void teacherForcedEncoderDecoderPassesTheGradientCheck(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 2) int batch,
      @ForAll @IntRange(min = 1, max = 8) int sourceSteps,
      @ForAll @IntRange(min = 1, max = 8) int targetSteps,
      @ForAll @IntRange(min = 1, max = 3) int hidden,
      @ForAll @IntRange(min = 1, max = 3) int classes) {
    Random random = new Random(seed);
    int sourceFeatures = 2;
    int targetFeatures = 3;
    Tensor sourceMask = randomMask(random, batch, sourceSteps, false);
    Tensor targetMask = randomMask(random, batch, targetSteps, false);
    int[][] targets = targets(random, batch, targetSteps, classes);

    check(
        in -> {
          EncoderDecoder<HiddenState, HiddenState> scenario =
              EncoderDecoder.of(
                  Cells.tanh(in.get(2), in.get(3), in.get(4)),
                  Cells.tanh(in.get(5), in.get(6), in.get(7)),
                  Cells.affine(in.get(8), in.get(9)));
          Unrolled<HiddenState> run =
              scenario.teacherForced(in.get(0), sourceMask, in.get(1), targetMask);
          return Losses.softmaxCrossEntropy(run.stacked(), targets, Reduction.SUM, targetMask);
        },
        awayFromZero(random, 1, batch, sourceSteps, sourceFeatures),
        awayFromZero(random, 1, batch, targetSteps, targetFeatures),
        awayFromZero(random, 0.5, sourceFeatures, hidden),
        orthogonal(random, hidden),
        awayFromZero(random, 0.2, hidden),
        awayFromZero(random, 0.5, targetFeatures, hidden),
        orthogonal(random, hidden),
        awayFromZero(random, 0.2, hidden),
        awayFromZero(random, 1, hidden, classes),
        awayFromZero(random, 0.5, classes));
  }

  @Property(tries = 40, seed = "20261205", edgeCases = EdgeCasesMode.NONE)
  void generatingEncoderDecoderPassesTheGradientCheck(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 2) int batch,
      @ForAll @IntRange(min = 1, max = 8) int sourceSteps,
      @ForAll @IntRange(min = 1, max = 8) int targetSteps,
      @ForAll @IntRange(min = 1, max = 3) int hidden) {
    Random random = new Random(seed);
    int sourceFeatures = 3;
    int targetFeatures = 2;
    Tensor sourceMask = randomMask(random, batch, sourceSteps, false);
    Tensor weights = awayFromZero(random, 1, batch, targetSteps, targetFeatures);

    check(
        in -> {
          EncoderDecoder<HiddenState, HiddenState> scenario =
              EncoderDecoder.of(
                  Cells.tanh(in.get(2), in.get(3), in.get(4)),
                  Cells.tanh(in.get(5), in.get(6), in.get(7)),
                  Cells.affine(in.get(8), in.get(9)));
          Unrolled<HiddenState> run =
              scenario.generate(in.get(0), sourceMask, in.get(1), targetSteps);
          return run.stacked().mul(Var.constant(weights)).sum();
        },
        awayFromZero(random, 1, batch, sourceSteps, sourceFeatures),
        awayFromZero(random, 1, batch, targetFeatures),
        awayFromZero(random, 0.5, sourceFeatures, hidden),
        orthogonal(random, hidden),
        awayFromZero(random, 0.2, hidden),
        awayFromZero(random, 0.5, targetFeatures, hidden),
        orthogonal(random, hidden),
        awayFromZero(random, 0.2, hidden),
        awayFromZero(random, 0.5, hidden, targetFeatures),
        awayFromZero(random, 0.5, targetFeatures));
  }

  @Property(tries = 60, seed = "20261206", edgeCases = EdgeCasesMode.NONE)
  void bidirectionalPassesTheGradientCheck(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 3) int batch,
      @ForAll @IntRange(min = 1, max = 8) int steps,
      @ForAll @IntRange(min = 1, max = 3) int features,
      @ForAll @IntRange(min = 1, max = 3) int forwardSize,
      @ForAll @IntRange(min = 1, max = 3) int reverseSize) {
    Random random = new Random(seed);
    Tensor mask = randomMask(random, batch, steps, false);
    Tensor outputWeights = awayFromZero(random, 1, batch, steps, forwardSize + reverseSize);
    Tensor forwardWeights = awayFromZero(random, 1, batch, forwardSize);
    Tensor reverseWeights = awayFromZero(random, 1, batch, reverseSize);

    check(
        in -> {
          Bidirectional<HiddenState> scenario =
              new Bidirectional<>(
                  Cells.tanh(in.get(1), in.get(2), in.get(3)),
                  Cells.tanh(in.get(4), in.get(5), in.get(6)));
          Unrolled<Bidirectional.States<HiddenState>> run = scenario.run(in.get(0), null, mask);
          return run.stacked()
              .mul(Var.constant(outputWeights))
              .sum()
              .add(run.finalState().forward().h().mul(Var.constant(forwardWeights)).sum())
              .add(run.finalState().reverse().h().mul(Var.constant(reverseWeights)).sum());
        },
        awayFromZero(random, 1, batch, steps, features),
        awayFromZero(random, 0.5, features, forwardSize),
        orthogonal(random, forwardSize),
        awayFromZero(random, 0.2, forwardSize),
        awayFromZero(random, 0.5, features, reverseSize),
        orthogonal(random, reverseSize),
        awayFromZero(random, 0.2, reverseSize));
  }

  private static void check(java.util.function.Function<List<Var>, Var> loss, Tensor... inputs) {
    GradCheckResult result = GradCheck.of(loss).check(inputs);
    assertTrue(result.passed(), result::toString);
  }

  static int[][] targets(Random random, int batch, int steps, int classes) {
    int[][] targets = new int[batch][];
    for (int b = 0; b < batch; b++) {
      targets[b] = random.ints(steps, 0, classes).toArray();
    }
    return targets;
  }
}
