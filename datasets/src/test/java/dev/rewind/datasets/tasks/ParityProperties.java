package dev.rewind.datasets.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.datasets.SequenceBatch;
import dev.rewind.datasets.batch.Masks;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class ParityProperties {

  @Property(tries = 50)
  void labelsAgreeWithADirectCountOfOnes(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 12) int minLength) {
    SequenceBatch batch = new Parity(minLength, minLength + 8).generate(6, seed);

    int[] lengths = Masks.lengths(batch.mask());
    for (int b = 0; b < batch.size(); b++) {
      for (int t = 0; t < lengths[b]; t++) {
        int ones = 0;
        for (int s = 0; s <= t; s++) {
          ones += (int) batch.inputs().get(b, s, 0);
        }
        double even = ones % 2 == 0 ? 1.0 : 0.0;
        assertEquals(even, batch.targets().get(b, t, 0), "sequence " + b + ", step " + t);
      }
    }
  }

  @Property(tries = 50)
  void inputsAreBits(@ForAll long seed) {
    SequenceBatch batch = Parity.ofLength(10).generate(3, seed);

    for (double bit : batch.inputs().toArray()) {
      assertTrue(bit == 0.0 || bit == 1.0, "input " + bit);
    }
  }
}
