package dev.rewind.layers.sample;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;
import java.util.Random;

/**
 * A categorical distribution over indices, from logits: its probabilities at a temperature, its
 * most likely index, and a draw from it.
 *
 * <pre>
 *   p(k) = softmax(logits / T)(k) = exp(logit_k / T) / Σ_j exp(logit_j / T)
 * </pre>
 *
 * T = 1 is the logits' own distribution; T &lt; 1 sharpens it towards the largest logit (T → 0 is
 * the argmax, and T = 0 is taken to mean exactly that); T &gt; 1 flattens it towards uniform.
 */
public final class Categorical {
  private Categorical() {}

  /**
   * {@code softmax(logits / temperature)}, computed stably (the largest logit is subtracted first,
   * so logits of ±1000 stay finite); for temperature 0, all the probability on the first largest
   * logit.
   *
   * @throws IllegalArgumentException if there are no logits, a logit is not finite, or the
   *     temperature is negative or not finite
   */
  public static double[] probabilities(double[] logits, double temperature) {
    boolean[] all = new boolean[logits.length];
    Arrays.fill(all, true);
    return probabilities(logits, all, temperature);
  }

  /**
   * {@code softmax(logits / temperature)} over the indices where {@code kept} is true; the others
   * get probability 0. With every index kept, the result equals {@link #probabilities(double[],
   * double)} bit for bit.
   */
  static double[] probabilities(double[] logits, boolean[] kept, double temperature) {
    checkLogits(logits);
    checkTemperature(temperature);
    int best = argmax(logits);
    double[] p = new double[logits.length];
    if (temperature == 0) {
      p[best] = 1;
      return p;
    }
    double sum = 0;
    for (int k = 0; k < logits.length; k++) {
      // NOTE: the first largest logit is always kept (top-k keeps the largest values, first by
      // index), so every kept exponent is at most 0 and cannot overflow.
      p[k] = kept[k] ? Math.exp((logits[k] - logits[best]) / temperature) : 0;
      sum += p[k];
    }
    for (int k = 0; k < p.length; k++) {
      p[k] /= sum;
    }
    return p;
  }

  /**
   * The index of the first largest value.
   *
   * @throws IllegalArgumentException if there are no values
   */
  public static int argmax(double[] values) {
    checkArgument(values.length > 0, "argmax: no values");
    int best = 0;
    for (int k = 1; k < values.length; k++) {
      if (values[k] > values[best]) {
        best = k;
      }
    }
    return best;
  }

  /**
   * An index drawn with probability {@code p[k]}, from exactly one {@code random.nextDouble()}
   * inverted through the cumulative distribution. An index of probability 0 is never drawn.
   *
   * @throws IllegalArgumentException if there are no probabilities
   */
  public static int draw(double[] p, Random random) {
    checkArgument(p.length > 0, "draw: no probabilities");
    double u = random.nextDouble();
    double cumulative = 0;
    int last = 0;
    for (int k = 0; k < p.length; k++) {
      if (p[k] > 0) {
        cumulative += p[k];
        last = k;
        if (u < cumulative) {
          return k;
        }
      }
    }
    // NOTE: rounding can leave the total a hair under 1; u then falls past it, onto the last
    // index that has any probability.
    return last;
  }

  static void checkTemperature(double temperature) {
    checkArgument(
        temperature >= 0 && Double.isFinite(temperature),
        "sampling: temperature %s must be 0 (always the most likely index) or positive",
        temperature);
  }

  private static void checkLogits(double[] logits) {
    checkArgument(logits.length > 0, "sampling: no logits");
    for (int k = 0; k < logits.length; k++) {
      if (!Double.isFinite(logits[k])) {
        throw new IllegalArgumentException(
            "sampling: logit " + k + " is " + logits[k] + "; logits must be finite");
      }
    }
  }
}
