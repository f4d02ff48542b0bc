package dev.rewind.layers.gru;

import static dev.rewind.layers.BpttChecks.assertWeightedOutputsPass;
import static dev.rewind.layers.SequenceFixtures.awayFromZero;

import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Recurrent;
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
    Tensor x = awayFromZero(random, 1, batch, steps, inputSize);
    Tensor h0 = awayFromZero(random, 1, batch, hiddenSize);
    Tensor outputWeights = awayFromZero(random, 1, batch, steps, hiddenSize);

    assertWeightedOutputsPass(
        template,
        outputWeights,
        in -> {
          GruCell cell = template.withWeights(in.subList(2, in.size()));
          return new Recurrent<>(cell).run(in.get(0), new HiddenState(in.get(1)), null);
        },
        x,
        h0);
  }
}
