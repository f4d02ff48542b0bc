package dev.rewind.layers.leaky;

import static dev.rewind.layers.BpttChecks.assertWeightedOutputsPass;
import static dev.rewind.layers.SequenceFixtures.awayFromZero;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Recurrent;
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
  @Property(tries = 100, seed = "20240614", edgeCases = EdgeCasesMode.NONE)
  void leakyBpttMatchesCentralDifferences(
      @ForAll LeakyCell.Leak leak,
      @ForAll @IntRange(min = 1, max = 2) int batch,
      @ForAll @IntRange(min = 1, max = 3) int inputSize,
      @ForAll @IntRange(min = 1, max = 3) int hiddenSize,
      @ForAll @IntRange(min = 1, max = 8) int steps,
      @ForAll long seed) {
    Random random = new Random(seed);
    LeakyCell cell = LeakyCell.random(inputSize, hiddenSize, leak, random);
    Tensor x = awayFromZero(random, 1, batch, steps, inputSize);
    Tensor h0 = awayFromZero(random, 1, batch, hiddenSize);
    Tensor outputWeights = awayFromZero(random, 1, batch, steps, hiddenSize);

    assertWeightedOutputsPass(
        cell,
        outputWeights,
        ImmutableMap.of("x", x, "h0", h0),
        in -> new Recurrent<>(cell).run(in.get("x"), new HiddenState(in.get("h0")), null));
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
    SkipCell cell = SkipCell.random(inputSize, hiddenSize, delay, random);
    Tensor x = awayFromZero(random, 1, batch, steps, inputSize);
    Tensor history = awayFromZero(random, 1, delay, batch, hiddenSize);
    Tensor outputWeights = awayFromZero(random, 1, batch, steps, hiddenSize);

    assertWeightedOutputsPass(
        cell,
        outputWeights,
        ImmutableMap.of("x", x, "history", history),
        in -> {
          SkipState initial = new SkipState(ImmutableList.copyOf(in.get("history").unstack(0)));
          return new Recurrent<>(cell).run(in.get("x"), initial, null);
        });
  }
}
