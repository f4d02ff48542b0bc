package dev.rewind.examples.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.datasets.text.Vocabulary;
import dev.rewind.layers.RecurrentState;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CharSamplerTest {
  private static final double[] LOGITS = {0.5, 2.0, -1.0, 1.9};

  @Test
  void temperatureZeroPutsAllTheProbabilityOnTheArgmax() {
    assertArrayEquals(new double[] {0, 1, 0, 0}, CharSampler.probabilities(LOGITS, 0));
  }

  @Test
  void temperatureTowardsZeroApproachesTheArgmax() {
    double[] p = CharSampler.probabilities(LOGITS, 1e-3);
    assertEquals(1, p[1], 1e-12);
    double[] cooler = CharSampler.probabilities(LOGITS, 0.05);
    double[] warmer = CharSampler.probabilities(LOGITS, 0.5);
    assertTrue(cooler[1] > warmer[1], "a lower temperature gives the argmax more probability");
  }

  @Test
  void temperatureOneIsTheSoftmax() {
    double[] expected = Var.constant(Tensor.vector(LOGITS)).softmax(0).value().toArray();
    assertArrayEquals(expected, CharSampler.probabilities(LOGITS, 1), 1e-15);
  }

  @Test
  void higherTemperatureFlattensTheDistribution() {
    double previous = -1;
    for (double temperature : new double[] {0.25, 0.5, 1, 2, 4, 100}) {
      double entropy = entropy(CharSampler.probabilities(LOGITS, temperature));
      assertTrue(entropy > previous, "entropy rises with the temperature: " + temperature);
      previous = entropy;
    }
    assertEquals(Math.log(LOGITS.length), previous, 1e-3, "a very high temperature is uniform");
  }

  @Test
  void hugeLogitsStayFinite() {
    double[] p = CharSampler.probabilities(new double[] {1000, 999, -1000}, 1);
    assertEquals(1, p[0] + p[1] + p[2], 1e-15);
    assertEquals(1 / (1 + Math.exp(-1)), p[0], 1e-15);
  }

  @Test
  void drawFollowsTheProbabilities() {
    double[] p = {0.1, 0.6, 0.0, 0.3};
    int[] counts = new int[p.length];
    Random random = new Random(3);
    int draws = 20_000;
    for (int i = 0; i < draws; i++) {
      counts[CharSampler.draw(p, random)]++;
    }
    assertEquals(0, counts[2], "a symbol of probability 0 is never drawn");
    for (int k = 0; k < p.length; k++) {
      assertEquals(p[k], counts[k] / (double) draws, 0.015, "frequency of symbol " + k);
    }
  }

  @Test
  void negativeOrInfiniteTemperatureIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> CharSampler.probabilities(LOGITS, -0.1));
    assertThrows(
        IllegalArgumentException.class,
        () -> CharSampler.probabilities(LOGITS, Double.POSITIVE_INFINITY));
  }

  @Test
  void seededSamplingIsReproducible() {
    Vocabulary vocabulary = Vocabulary.of("abcdefgh ");
    CharModel<?> model = model(vocabulary, CellType.GRU);
    String first = CharSampler.generate(model, vocabulary, "ab", 60, 1.0, new Random(11));
    String again = CharSampler.generate(model, vocabulary, "ab", 60, 1.0, new Random(11));
    String other = CharSampler.generate(model, vocabulary, "ab", 60, 1.0, new Random(12));
    assertEquals(60, first.length());
    assertEquals(first, again);
    assertNotEquals(first, other);
  }

  @Test
  void temperatureZeroFollowsTheChainOfArgmaxes() {
    Vocabulary vocabulary = Vocabulary.of("abcdefgh ");
    CharModel<?> model = model(vocabulary, CellType.LSTM);
    String greedy = CharSampler.generate(model, vocabulary, "a", 20, 0, new Random(1));
    assertEquals(greedyByHand(model, vocabulary, "a", 20), greedy);
    String anotherRandom = CharSampler.generate(model, vocabulary, "a", 20, 0, new Random(99));
    assertEquals(greedy, anotherRandom, "T = 0 draws nothing at random");
  }

  @Test
  void aPrimeOutsideTheVocabularyIsRejected() {
    Vocabulary vocabulary = Vocabulary.of("ab");
    CharModel<?> model = model(vocabulary, CellType.ELMAN);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CharSampler.generate(model, vocabulary, "az", 5, 1, new Random(1)));
    assertTrue(e.getMessage().contains("'z'"), e.getMessage());
  }

  /** Reads the whole text so far from the zero state at every step, and takes the argmax. */
  private static <S extends RecurrentState<S>> String greedyByHand(
      CharModel<S> model, Vocabulary vocabulary, String prime, int length) {
    StringBuilder text = new StringBuilder(prime);
    int classes = vocabulary.size();
    for (int i = 0; i < length; i++) {
      int[] tokens = vocabulary.encode(text.toString());
      double[] logits = model.forward(new int[][] {tokens}, null).logits().value().toArray();
      double[] last = java.util.Arrays.copyOfRange(logits, logits.length - classes, logits.length);
      text.appendCodePoint(vocabulary.symbol(CharSampler.argmax(last)));
    }
    return text.substring(prime.length());
  }

  private static CharModel<?> model(Vocabulary vocabulary, CellType cell) {
    return CharModel.create(new CharModel.Config(cell, vocabulary.size(), 4, 8), new Random(5));
  }

  private static double entropy(double[] p) {
    double h = 0;
    for (double q : p) {
      h -= q > 0 ? q * Math.log(q) : 0;
    }
    return h;
  }
}
