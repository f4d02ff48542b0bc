package dev.rewind.layers.loss;

import static dev.rewind.layers.SequenceFixtures.randomMask;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.check.GradCheck;
import dev.rewind.autodiff.check.GradCheckResult;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.Random;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Every loss, with every reduction and a random mask, passes the first-order gradient check: the
 * whole Jacobian (of the per-element losses, for {@link Reduction#NONE}) against central
 * differences.
 */
class LossGradientProperties {

  @Property(tries = 100, seed = "20261123", edgeCases = EdgeCasesMode.NONE)
  void softmaxCrossEntropyPassesTheGradientCheck(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 3) int batch,
      @ForAll @IntRange(min = 1, max = 8) int steps,
      @ForAll @IntRange(min = 1, max = 4) int classes,
      @ForAll Reduction reduction) {
    Random random = new Random(seed);
    int[][] targets = new int[batch][];
    for (int b = 0; b < batch; b++) {
      targets[b] = random.ints(steps, 0, classes).toArray();
    }
    Tensor mask = randomMask(random, batch, steps, false);
    Tensor logits = Tensor.randomNormal(Shape.of(batch, steps, classes), 0, 2, random);

    GradCheckResult result =
        GradCheck.of(in -> Losses.softmaxCrossEntropy(in.get(0), targets, reduction, mask))
            .check(logits);
    assertTrue(result.passed(), result::toString);
  }

  @Property(tries = 100, seed = "20261124", edgeCases = EdgeCasesMode.NONE)
  void meanSquaredErrorPassesTheGradientCheck(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 3) int batch,
      @ForAll @IntRange(min = 1, max = 8) int steps,
      @ForAll @IntRange(min = 1, max = 3) int features,
      @ForAll Reduction reduction) {
    Random random = new Random(seed);
    Tensor mask = randomMask(random, batch, steps, false);
    Shape shape = Shape.of(batch, steps, features);

    GradCheckResult result =
        GradCheck.of(in -> Losses.meanSquaredError(in.get(0), in.get(1), reduction, mask))
            .check(
                Tensor.randomNormal(shape, 0, 2, random), Tensor.randomNormal(shape, 0, 2, random));
    assertTrue(result.passed(), result::toString);
  }

  @Property(tries = 100, seed = "20261125", edgeCases = EdgeCasesMode.NONE)
  void binaryCrossEntropyPassesTheGradientCheck(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 3) int batch,
      @ForAll @IntRange(min = 1, max = 8) int steps,
      @ForAll @IntRange(min = 1, max = 3) int features,
      @ForAll Reduction reduction) {
    Random random = new Random(seed);
    Tensor mask = randomMask(random, batch, steps, false);
    Shape shape = Shape.of(batch, steps, features);
    Tensor targets = Tensor.randomUniform(shape, 0, 1, random);

    GradCheckResult result =
        GradCheck.of(in -> Losses.binaryCrossEntropyWithLogits(in.get(0), targets, reduction, mask))
            .check(Tensor.randomNormal(shape, 0, 3, random));
    assertTrue(result.passed(), result::toString);
  }
}
