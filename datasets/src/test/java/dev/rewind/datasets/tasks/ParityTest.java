package dev.rewind.datasets.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.datasets.SequenceBatch;
import dev.rewind.datasets.batch.Masks;
import org.junit.jupiter.api.Test;

/** Note 001 (001_031092f413d1c2a5.txt): "Output YES if the number of 1s is even, else NO". */
class ParityTest {

  @Test
  void notesExample1000010101EndsInYes() {
    assertEquals('1', lastOf(Parity.labels("1000010101")));
  }

  @Test
  void notesExample100011EndsInNo() {
    assertEquals('0', lastOf(Parity.labels("100011")));
  }

  @Test
  void labelsAfterEveryBitMatchAHandCount() {
    // 1000010101: ones so far 1 1 1 1 1 2 2 3 3 4 → odd five times, even, even, odd, odd, even.
    assertEquals("0000011001", Parity.labels("1000010101"));
    // 100011: ones so far 1 1 1 1 2 3.
    assertEquals("000010", Parity.labels("100011"));
  }

  @Test
  void aStringOfZerosIsEvenThroughout() {
    assertArrayEquals(new int[] {1, 1, 1}, Parity.labels(new int[] {0, 0, 0}));
  }

  @Test
  void variableLengthBatchIsPaddedWithAMaskOfItsLengths() {
    SequenceBatch batch = new Parity(3, 9).generate(20, 5L);

    int[] lengths = Masks.lengths(batch.mask());
    for (int b = 0; b < lengths.length; b++) {
      assertTrue(lengths[b] >= 3 && lengths[b] <= 9, "length " + lengths[b]);
      for (int t = lengths[b]; t < batch.steps(); t++) {
        assertEquals(0.0, batch.inputs().get(b, t, 0));
        assertEquals(0.0, batch.targets().get(b, t, 0));
      }
    }
  }

  @Test
  void fixedLengthBatchHasShapeBatchTimeOne() {
    SequenceBatch batch = Parity.ofLength(6).generate(4, 1L);

    assertEquals("[4, 6, 1]", batch.inputs().shape().toString());
    assertEquals("[4, 6, 1]", batch.targets().shape().toString());
    assertEquals(Tensor.ones(4, 6), batch.mask());
  }

  @Test
  void aBitStringOfOtherCharactersIsRejectedWithThePosition() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Parity.labels("10a1"));

    assertEquals("bits: 'a' at position 2 of \"10a1\" is not 0 or 1", e.getMessage());
  }

  private static char lastOf(String labels) {
    return labels.charAt(labels.length() - 1);
  }
}
