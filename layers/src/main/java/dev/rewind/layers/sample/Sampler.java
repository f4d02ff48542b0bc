package dev.rewind.layers.sample;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * A rule for picking the next token's index from a model's logits: greedy (the argmax), temperature
 * sampling from {@code softmax(logits / T)}, or top-k sampling, which first keeps only the k
 * largest logits. Immutable; the randomness comes from the {@code Random} given to {@link #sample}.
 *
 * <p>Every pick draws exactly one {@code random.nextDouble()}, greedy ones included, so that a
 * generator's position after n tokens is the same whichever sampler picked them.
 */
public final class Sampler {
  // NOTE: 0 keeps every logit.
  private final int k;
  private final double temperature;

  private Sampler(int k, double temperature) {
    this.k = k;
    this.temperature = temperature;
  }

  /** Always the first largest logit: temperature sampling at T = 0. */
  public static Sampler greedy() {
    return new Sampler(0, 0);
  }

  /**
   * Samples from {@code softmax(logits / temperature)}; temperature 0 is {@link #greedy}.
   *
   * @throws IllegalArgumentException if the temperature is negative or not finite
   */
  public static Sampler temperature(double temperature) {
    Categorical.checkTemperature(temperature);
    return new Sampler(0, temperature);
  }

  /**
   * Samples from {@code softmax(logits / temperature)} over the {@code k} largest logits only; the
   * others get probability 0. Where several logits equal the k-th largest value, those of lowest
   * index are kept. A {@code k} of at least the number of logits keeps them all, and is then the
   * same as {@link #temperature} (for the same {@code Random}, the same indices).
   *
   * @throws IllegalArgumentException if {@code k} is below 1, or the temperature is negative or not
   *     finite
   */
  public static Sampler topK(int k, double temperature) {
    checkArgument(k >= 1, "sampling: top-k needs k of at least 1, not %s", k);
    Categorical.checkTemperature(temperature);
    return new Sampler(k, temperature);
  }

  /**
   * The probability this sampler gives each index.
   *
   * @throws IllegalArgumentException if there are no logits or a logit is not finite
   */
  public double[] probabilities(double[] logits) {
    if (k == 0 || k >= logits.length) {
      return Categorical.probabilities(logits, temperature);
    }
    return Categorical.probabilities(logits, largest(logits, k), temperature);
  }

  /**
   * An index drawn from {@link #probabilities}, with one {@code random.nextDouble()}.
   *
   * @throws IllegalArgumentException if there are no logits or a logit is not finite
   */
  public int sample(double[] logits, Random random) {
    return Categorical.draw(probabilities(logits), random);
  }

  /** Whether each index is among the {@code k} largest values, ties going to the lower index. */
  private static boolean[] largest(double[] values, int k) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double threshold = sorted[sorted.length - k];
    int aboveThreshold = 0;
    for (double value : values) {
      aboveThreshold += value > threshold ? 1 : 0;
    }
    int tiesKept = k - aboveThreshold;
    boolean[] kept = new boolean[values.length];
    for (int i = 0; i < values.length; i++) {
      if (values[i] > threshold) {
        kept[i] = true;
      } else if (values[i] == threshold && tiesKept > 0) {
        kept[i] = true;
        tiesKept--;
      }
    }
    return kept;
  }

  /** {@code greedy}, {@code temperature 0.8} or {@code top-5 at temperature 0.8}. */
  @Override
  public String toString() {
    if (temperature == 0) {
      return "greedy";
    }
    return k == 0
        ? String.format(Locale.ROOT, "temperature %s", temperature)
        : String.format(Locale.ROOT, "top-%d at temperature %s", k, temperature);
  }
}
