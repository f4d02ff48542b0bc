package dev.rewind.examples.text;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tape.Tape;
import dev.rewind.datasets.text.Vocabulary;
import dev.rewind.layers.RecurrentState;
import java.util.Random;

/**
 * Generates text from a {@link CharModel} as note 000 does at test time: sample a character from
 * the model's prediction, feed it back as the next input, and repeat. The temperature T reshapes
 * each prediction before sampling:
 *
 * <pre>
 *   p(k) = softmax(logits / T)(k) = exp(logit_k / T) / Σ_j exp(logit_j / T)
 * </pre>
 *
 * T = 1 samples from the model's own distribution; T &lt; 1 sharpens it towards its most likely
 * character (T → 0 is the argmax, and T = 0 is taken to mean exactly that); T &gt; 1 flattens it
 * towards uniform. Sampling draws from the given {@code Random} only, so a seed fixes the text.
 */
public final class CharSampler {
  private CharSampler() {}

  /**
   * {@code softmax(logits / temperature)}, computed stably (the largest logit is subtracted first);
   * for temperature 0, all the probability on the first largest logit.
   *
   * @throws IllegalArgumentException if the temperature is negative or not finite
   */
  public static double[] probabilities(double[] logits, double temperature) {
    checkTemperature(temperature);
    checkArgument(logits.length > 0, "probabilities: no logits");
    int best = argmax(logits);
    double[] p = new double[logits.length];
    if (temperature == 0) {
      p[best] = 1;
      return p;
    }
    double sum = 0;
    for (int k = 0; k < logits.length; k++) {
      p[k] = Math.exp((logits[k] - logits[best]) / temperature);
      sum += p[k];
    }
    for (int k = 0; k < p.length; k++) {
      p[k] /= sum;
    }
    return p;
  }

  /** The index of the first largest value. */
  public static int argmax(double[] values) {
    int best = 0;
    for (int k = 1; k < values.length; k++) {
      if (values[k] > values[best]) {
        best = k;
      }
    }
    return best;
  }

  /** An index drawn with probability {@code p[k]}: one uniform number, inverted through the CDF. */
  public static int draw(double[] p, Random random) {
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
    // symbol that has any probability.
    return last;
  }

  /**
   * Reads {@code prime} and then samples {@code length} characters, each fed back as the next
   * input, at {@code temperature}; returns only the sampled characters.
   *
   * @throws IllegalArgumentException if {@code prime} is empty or holds a character outside the
   *     vocabulary, or the temperature is negative
   */
  public static <S extends RecurrentState<S>> String generate(
      CharModel<S> model,
      Vocabulary vocabulary,
      String prime,
      int length,
      double temperature,
      Random random) {
    checkArgument(!prime.isEmpty(), "sampling: the text to start from is empty");
    checkArgument(length >= 0, "sampling: length %s must not be negative", length);
    checkTemperature(temperature);
    int[] primed = vocabulary.encode(prime);
    StringBuilder text = new StringBuilder();
    try (var scope = Tape.noGrad()) {
      S state = model.initialState(1);
      CharModel.Output<S> output = null;
      for (int token : primed) {
        output = model.step(new int[] {token}, state);
        state = output.state();
      }
      for (int i = 0; i < length; i++) {
        double[] logits = output.logits().value().toArray();
        int next = draw(probabilities(logits, temperature), random);
        text.appendCodePoint(vocabulary.symbol(next));
        if (i + 1 < length) {
          output = model.step(new int[] {next}, output.state());
        }
      }
    }
    return text.toString();
  }

  private static void checkTemperature(double temperature) {
    checkArgument(
        temperature >= 0 && Double.isFinite(temperature),
        "sampling: temperature %s must be 0 (always the most likely character) or positive",
        temperature);
  }
}
