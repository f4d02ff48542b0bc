package dev.rewind.layers.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class TokenModelTest {

  /**
   * A model over {@code vocabulary} tokens whose logits after reading t favour t + 1 (mod the
   * vocabulary) by {@code preference}, and which remembers every token it reads. Its state counts
   * the tokens read.
   */
  private static final class Counting implements TokenModel<Integer> {
    private final int vocabulary;
    private final double preference;
    private final Parameter scale = new Parameter("scale", Tensor.scalar(1));
    final List<Integer> read = new ArrayList<>();

    Counting(int vocabulary, double preference) {
      this.vocabulary = vocabulary;
      this.preference = preference;
    }

    @Override
    public Integer initialState(int batch) {
      assertEquals(1, batch, "generation reads one stream");
      return 0;
    }

    @Override
    public Step<Integer> step(int[] tokens, Integer state) {
      read.add(tokens[0]);
      double[] logits = new double[vocabulary];
      logits[(tokens[0] + 1) % vocabulary] = preference;
      Var scores = Var.constant(Tensor.of(Shape.of(1, vocabulary), logits)).mul(scale);
      return new Step<>(scores, state + 1);
    }
  }

  @Test
  void generateReadsThePrimeThenFeedsBackWhatItSampled() {
    Counting model = new Counting(5, 10);
    int[] sampled = model.generate(new int[] {2, 0}, 4, Sampler.greedy(), new Random(1));
    assertArrayEquals(new int[] {1, 2, 3, 4}, sampled);
    assertEquals(List.of(2, 0, 1, 2, 3), model.read, "the prime, then each sample but the last");
  }

  @Test
  void everySampledTokenIsReadNext() {
    Counting model = new Counting(6, 0.5);
    int[] sampled = model.generate(new int[] {3}, 40, Sampler.temperature(1), new Random(2));
    for (int i = 0; i + 1 < sampled.length; i++) {
      assertEquals(sampled[i], model.read.get(1 + i), "sample " + i);
    }
  }

  @Test
  void theSameSeedGivesTheSameTokens() {
    int[] first = new Counting(5, 0).generate(new int[] {1}, 30, Sampler.temperature(1), seed(11));
    int[] again = new Counting(5, 0).generate(new int[] {1}, 30, Sampler.temperature(1), seed(11));
    int[] other = new Counting(5, 0).generate(new int[] {1}, 30, Sampler.temperature(1), seed(12));
    assertArrayEquals(first, again);
    assertFalse(Arrays.equals(first, other), "another seed, other tokens");
  }

  @Test
  void lengthZeroSamplesNothing() {
    Counting model = new Counting(3, 1);
    assertArrayEquals(new int[0], model.generate(new int[] {0, 1}, 0, Sampler.greedy(), seed(1)));
    assertEquals(List.of(0, 1), model.read);
  }

  @Test
  void nothingIsRecordedOnAnOpenTape() {
    try (Tape tape = Tape.record()) {
      int[] unused = new Counting(4, 1).generate(new int[] {0}, 5, Sampler.greedy(), seed(3));
      assertEquals(0, tape.size());
    }
  }

  @Test
  void badArgumentsAreRejectedWithTheirValues() {
    Counting model = new Counting(4, 1);
    assertEquals(
        "generate: the tokens to start from are empty",
        message(() -> model.generate(new int[0], 3, Sampler.greedy(), seed(1))));
    assertEquals(
        "generate: length -1 must not be negative",
        message(() -> model.generate(new int[] {0}, -1, Sampler.greedy(), seed(1))));
    assertEquals(
        "generate: token -2 at 1 is negative",
        message(() -> model.generate(new int[] {0, -2}, 3, Sampler.greedy(), seed(1))));
    assertEquals(
        "generate: token 4 at 0 is outside the 4 logits the model gives",
        message(() -> model.generate(new int[] {4, 1}, 3, Sampler.greedy(), seed(1))));
  }

  @Test
  void logitsOfMoreThanOneRowAreRejected() {
    TokenModel<Integer> batchOfTwo =
        new TokenModel<>() {
          @Override
          public Integer initialState(int batch) {
            return 0;
          }

          @Override
          public Step<Integer> step(int[] tokens, Integer state) {
            return new Step<>(Var.constant(Tensor.zeros(Shape.of(2, 3))), state);
          }
        };
    assertEquals(
        "generate: a step for one stream returned logits of shape [2, 3], not [1, vocabulary]",
        message(() -> batchOfTwo.generate(new int[] {0}, 1, Sampler.greedy(), seed(1))));
  }

  private static Random seed(long seed) {
    return new Random(seed);
  }

  private static String message(Executable call) {
    return assertThrows(IllegalArgumentException.class, call).getMessage();
  }
}
