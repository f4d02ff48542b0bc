package dev.rewind.layers.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CategoricalTest {
  private static final double[] LOGITS = {0.5, 2.0, -1.0, 1.9};

  @Test
  void temperatureZeroPutsAllTheProbabilityOnTheArgmax() {
    assertArrayEquals(new double[] {0, 1, 0, 0}, Categorical.probabilities(LOGITS, 0));
  }

  @Test
  void temperatureTowardsZeroApproachesTheArgmax() {
    double[] p = Categorical.probabilities(LOGITS, 1e-3);
    assertEquals(1, p[1], 1e-12);
    double[] cooler = Categorical.probabilities(LOGITS, 0.05);
    double[] warmer = Categorical.probabilities(LOGITS, 0.5);
    assertTrue(cooler[1] > warmer[1], "a lower temperature gives the argmax more probability");
  }

  @Test
  void temperatureOneIsTheSoftmax() {
    double[] expected = Var.constant(Tensor.vector(LOGITS)).softmax(0).value().toArray();
    assertArrayEquals(expected, Categorical.probabilities(LOGITS, 1), 1e-15);
  }

  @Test
  void higherTemperatureFlattensTheDistribution() {
    double previous = -1;
    for (double temperature : new double[] {0.25, 0.5, 1, 2, 4, 100}) {
      double entropy = entropy(Categorical.probabilities(LOGITS, temperature));
      assertTrue(entropy > previous, "entropy rises with the temperature: " + temperature);
      previous = entropy;
    }
    assertEquals(Math.log(LOGITS.length), previous, 1e-3, "a very high temperature is uniform");
  }

  @Test
  void logitsOfPlusOrMinusAThousandStayFinite() {
    double[] p = Categorical.probabilities(new double[] {1000, 999, -1000}, 1);
    assertEquals(1, p[0] + p[1] + p[2], 1e-15);
    assertEquals(1 / (1 + Math.exp(-1)), p[0], 1e-15);
    assertEquals(0, p[2]);
    double[] low = Categorical.probabilities(new double[] {-1000, -1001}, 1);
    assertEquals(1 / (1 + Math.exp(-1)), low[0], 1e-15);
  }

  @Test
  void argmaxIsTheFirstLargest() {
    assertEquals(1, Categorical.argmax(new double[] {0, 3, 1, 3}));
    assertEquals(0, Categorical.argmax(new double[] {-2}));
  }

  @Test
  void drawFollowsTheProbabilities() {
    double[] p = {0.1, 0.6, 0.0, 0.3};
    int[] counts = new int[p.length];
    Random random = new Random(3);
    int draws = 20_000;
    for (int i = 0; i < draws; i++) {
      counts[Categorical.draw(p, random)]++;
    }
    assertEquals(0, counts[2], "an index of probability 0 is never drawn");
    for (int k = 0; k < p.length; k++) {
      assertEquals(p[k], counts[k] / (double) draws, 0.015, "frequency of index " + k);
    }
  }

  @Test
  void drawTakesExactlyOneUniformNumber() {
    Random random = new Random(8);
    Random twin = new Random(8);
    int drawn = Categorical.draw(new double[] {0.25, 0.25, 0.5}, random);
    double u = twin.nextDouble();
    assertEquals(u < 0.25 ? 0 : u < 0.5 ? 1 : 2, drawn);
    assertEquals(twin.nextLong(), random.nextLong(), "both generators are at the same place");
  }

  @Test
  void negativeOrInfiniteTemperatureIsRejected() {
    IllegalArgumentException negative =
        assertThrows(IllegalArgumentException.class, () -> Categorical.probabilities(LOGITS, -0.1));
    assertTrue(negative.getMessage().contains("-0.1"), negative.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> Categorical.probabilities(LOGITS, Double.POSITIVE_INFINITY));
  }

  @Test
  void aLogitThatIsNotFiniteIsRejectedByIndex() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Categorical.probabilities(new double[] {0, Double.NaN}, 1));
    assertEquals("sampling: logit 1 is NaN; logits must be finite", e.getMessage());
  }

  @Test
  void noLogitsAreRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Categorical.probabilities(new double[0], 1));
    assertEquals("sampling: no logits", e.getMessage());
  }

  private static double entropy(double[] p) {
    double h = 0;
    for (double q : p) {
      h -= q > 0 ? q * Math.log(q) : 0;
    }
    return h;
  }
}
