package dev.rewind.layers.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SamplerTest {
  private static final int DRAWS = 500;

  @Test
  void greedyIsTheArgmaxWhateverTheRandomNumbers() {
    double[] logits = {0.5, 2.0, -1.0, 2.0};
    Random random = new Random(1);
    for (int i = 0; i < DRAWS; i++) {
      assertEquals(1, Sampler.greedy().sample(logits, random));
    }
  }

  @Test
  void temperatureZeroIsGreedy() {
    double[][] logits = randomLogits(new Random(2), DRAWS, 7);
    assertArrayEquals(
        samples(Sampler.greedy(), logits, new Random(3)),
        samples(Sampler.temperature(0), logits, new Random(4)));
    assertArrayEquals(
        samples(Sampler.greedy(), logits, new Random(3)),
        samples(Sampler.topK(3, 0), logits, new Random(5)));
  }

  @Test
  void topKOfTheWholeVocabularyIsTemperatureSamplingIndexForIndex() {
    double[][] logits = randomLogits(new Random(6), DRAWS, 9);
    int[] plain = samples(Sampler.temperature(0.7), logits, new Random(7));
    assertArrayEquals(plain, samples(Sampler.topK(9, 0.7), logits, new Random(7)));
    assertArrayEquals(plain, samples(Sampler.topK(50, 0.7), logits, new Random(7)));
  }

  @Test
  void topOneIsGreedy() {
    double[][] logits = randomLogits(new Random(8), DRAWS, 5);
    assertArrayEquals(
        samples(Sampler.greedy(), logits, new Random(9)),
        samples(Sampler.topK(1, 2.0), logits, new Random(10)));
  }

  @Test
  void tiesAtTheKthLargestGoToTheLowerIndex() {
    double[] p = Sampler.topK(2, 1).probabilities(new double[] {1, 3, 1, 1});
    assertEquals(0, p[2]);
    assertEquals(0, p[3]);
    assertEquals(1 / (1 + Math.exp(-2)), p[1], 1e-15);
  }

  @Test
  void everyPickTakesOneRandomNumberWhateverTheSampler() {
    double[] logits = {0.1, 0.4, 0.2};
    for (Sampler sampler :
        new Sampler[] {Sampler.greedy(), Sampler.temperature(1), Sampler.topK(2, 0.5)}) {
      Random random = new Random(11);
      int unused = sampler.sample(logits, random);
      Random twin = new Random(11);
      double skipped = twin.nextDouble();
      assertEquals(twin.nextLong(), random.nextLong(), sampler + " after " + skipped);
    }
  }

  @Test
  void badSettingsAreRejectedWithTheirValues() {
    IllegalArgumentException k =
        assertThrows(IllegalArgumentException.class, () -> Sampler.topK(0, 1));
    assertEquals("sampling: top-k needs k of at least 1, not 0", k.getMessage());
    IllegalArgumentException temperature =
        assertThrows(IllegalArgumentException.class, () -> Sampler.temperature(-2));
    assertEquals(
        "sampling: temperature -2.0 must be 0 (always the most likely index) or positive",
        temperature.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Sampler.topK(3, Double.NaN));
  }

  @Test
  void aSamplerSaysWhatItDoes() {
    assertEquals("greedy", Sampler.greedy().toString());
    assertEquals("temperature 0.8", Sampler.temperature(0.8).toString());
    assertEquals("top-5 at temperature 0.8", Sampler.topK(5, 0.8).toString());
  }

  private static int[] samples(Sampler sampler, double[][] logits, Random random) {
    int[] picked = new int[logits.length];
    for (int i = 0; i < logits.length; i++) {
      picked[i] = sampler.sample(logits[i], random);
    }
    return picked;
  }

  private static double[][] randomLogits(Random random, int rows, int width) {
    double[][] logits = new double[rows][width];
    for (double[] row : logits) {
      for (int k = 0; k < width; k++) {
        row[k] = 3 * random.nextGaussian();
      }
    }
    return logits;
  }
}
