package dev.rewind.datasets.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.datasets.SequenceBatch;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class XorSequenceProperties {

  @Property(tries = 50)
  void everyThirdBitIsTheXorOfTheTwoBeforeIt(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int triples) {
    int[] bits = new XorSequence(triples).bits(new Random(seed));

    assertEquals(3 * triples, bits.length);
    for (int i = 0; i < triples; i++) {
      assertEquals(bits[3 * i] ^ bits[3 * i + 1], bits[3 * i + 2], "triple " + i);
    }
  }

  @Property(tries = 50)
  void targetsAreTheInputsShiftedByOne(@ForAll long seed) {
    SequenceBatch batch = new XorSequence(12).generate(3, seed);

    for (int b = 0; b < 3; b++) {
      for (int t = 0; t + 1 < batch.steps(); t++) {
        assertEquals(batch.inputs().get(b, t + 1, 0), batch.targets().get(b, t, 0));
      }
    }
  }
}
