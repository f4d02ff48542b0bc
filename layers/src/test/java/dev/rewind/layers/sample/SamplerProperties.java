package dev.rewind.layers.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class SamplerProperties {

  // NOTE: small integer logits, so that ties at the k-th largest value are common.
  @Property(tries = 200)
  void topKNeverDrawsOutsideTheKLargest(
      @ForAll @Size(min = 1, max = 12) List<@IntRange(min = -3, max = 3) Integer> values,
      @ForAll @IntRange(min = 1, max = 12) int k,
      @ForAll @DoubleRange(min = 0.1, max = 5) double temperature,
      @ForAll long seed) {
    double[] logits = values.stream().mapToDouble(Integer::doubleValue).toArray();
    boolean[] largest = largestByValueThenIndex(logits, k);
    Sampler sampler = Sampler.topK(k, temperature);
    double[] p = sampler.probabilities(logits);
    for (int i = 0; i < logits.length; i++) {
      assertEquals(largest[i], p[i] > 0, "index " + i + " kept");
    }
    Random random = new Random(seed);
    for (int draw = 0; draw < 20; draw++) {
      int index = sampler.sample(logits, random);
      assertTrue(largest[index], "drew " + index + ", not among the " + k + " largest");
    }
  }

  @Property(tries = 200)
  void greedyTakesTheFirstLargestLogit(
      @ForAll @Size(min = 1, max = 12) List<@DoubleRange(min = -1e3, max = 1e3) Double> values,
      @ForAll long seed) {
    double[] logits = values.stream().mapToDouble(Double::doubleValue).toArray();
    int picked = Sampler.greedy().sample(logits, new Random(seed));
    for (int i = 0; i < logits.length; i++) {
      assertTrue(i < picked ? logits[i] < logits[picked] : logits[i] <= logits[picked]);
    }
  }

  /** The first k indices when sorted by value, largest first, and then by index. */
  private static boolean[] largestByValueThenIndex(double[] logits, int k) {
    boolean[] kept = new boolean[logits.length];
    IntStream.range(0, logits.length)
        .boxed()
        .sorted(
            Comparator.comparingDouble((Integer i) -> -logits[i])
                .thenComparing(Comparator.naturalOrder()))
        .limit(k)
        .forEach(i -> kept[i] = true);
    return kept;
  }
}
