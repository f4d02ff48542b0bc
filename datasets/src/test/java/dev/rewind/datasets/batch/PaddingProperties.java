package dev.rewind.datasets.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class PaddingProperties {

  @Property(tries = 60)
  void paddingKeepsEveryValueZeroFillsTheRestAndMasksItsLengths(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 6) int batch,
      @ForAll @IntRange(min = 1, max = 4) int features) {
    Random random = new Random(seed);
    List<Tensor> sequences = new ArrayList<>();
    int longest = 0;
    for (int b = 0; b < batch; b++) {
      int length = random.nextInt(10);
      longest = Math.max(longest, length);
      sequences.add(Tensor.randomNormal(Shape.of(length, features), 0, 1, random));
    }

    PaddedSequences padded = Padding.pad(sequences);

    assertEquals(Shape.of(batch, longest, features), padded.values().shape());
    assertArrayEquals(padded.lengths().toArray(), Masks.lengths(padded.mask()));
    for (int b = 0; b < batch; b++) {
      Tensor sequence = sequences.get(b);
      assertEquals(sequence.shape().dim(0), padded.lengths().get(b));
      for (int t = 0; t < longest; t++) {
        for (int f = 0; f < features; f++) {
          double expected = t < padded.lengths().get(b) ? sequence.get(t, f) : 0.0;
          assertEquals(expected, padded.values().get(b, t, f));
        }
      }
    }
  }

  @Property(tries = 60)
  void masksFromLengthsGiveTheLengthsBack(
      @ForAll long seed, @ForAll @IntRange(min = 0, max = 20) int time) {
    Random random = new Random(seed);
    int[] lengths = new int[5];
    for (int b = 0; b < lengths.length; b++) {
      lengths[b] = random.nextInt(time + 1);
    }

    assertArrayEquals(lengths, Masks.lengths(Masks.ofLengths(lengths, time)));
  }
}
