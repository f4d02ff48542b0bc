package dev.rewind.datasets.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.datasets.SequenceBatch;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Note 003 (003_7bf26e67bbf9cc0b.txt), section 2: eight bits, target their sum. */
class BitSumProperties {

  @Example
  void notesTaskHasEightBitsAndOneTargetPerSequence() {
    SequenceBatch batch = BitSum.EIGHT_BITS.generate(5, 11L);

    assertEquals("[5, 8, 1]", batch.inputs().shape().toString());
    assertEquals("[5, 1]", batch.targets().shape().toString());
  }

  @Example
  void sumOfAHandWrittenSequenceIsItsCountOfOnes() {
    assertEquals(4, BitSum.sum(new int[] {1, 0, 1, 1, 0, 0, 1, 0}));
  }

  @Property(tries = 50)
  void targetIsTheSumOfTheInputBits(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 20) int length) {
    SequenceBatch batch = new BitSum(length).generate(4, seed);

    for (int b = 0; b < 4; b++) {
      double sum = 0;
      for (int t = 0; t < length; t++) {
        double bit = batch.inputs().get(b, t, 0);
        assertTrue(bit == 0.0 || bit == 1.0, "input " + bit);
        sum += bit;
      }
      assertEquals(sum, batch.targets().get(b, 0));
    }
  }
}
