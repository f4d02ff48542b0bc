package dev.rewind.datasets.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.datasets.SequenceBatch;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Note 003 (003_7bf26e67bbf9cc0b.txt): the sequence 000011101110 built from XOR's truth table. */
class XorSequenceTest {

  @Test
  void streamStartsWithTheNotesSequence000011101110() {
    int[] bits = new XorSequence(10).bits(new Random(7));

    assertEquals("000011101110", Bits.format(bits).substring(0, 12));
    assertEquals("000011101110", XorSequence.NOTES_SEQUENCE);
  }

  @Test
  void fourTriplesAreExactlyTheNotesSequence() {
    assertEquals("000011101110", Bits.format(new XorSequence(4).bits(new Random(1))));
  }

  @Test
  void nextBitBatchShiftsTheStreamByOne() {
    SequenceBatch batch = new XorSequence(4).generate(1, 3L);

    assertEquals("00001110111", bitsOf(batch.inputs()));
    assertEquals("00011101110", bitsOf(batch.targets()));
  }

  @Test
  void predictableStepsAreThoseWhoseTargetIsAnXorBit() {
    Tensor mask = new XorSequence(3).predictableSteps(1);

    // Targets are bits 1 … 8; bits 2, 5 and 8 are XORs, so target steps 1, 4 and 7.
    assertEquals("01001001", bitsOf(mask));
  }

  static String bitsOf(Tensor column) {
    StringBuilder bits = new StringBuilder();
    Arrays.stream(column.toArray()).forEach(bit -> bits.append((int) bit));
    return bits.toString();
  }
}
