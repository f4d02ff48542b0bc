package dev.rewind.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tensor.Shape;
import org.junit.jupiter.api.Test;

class BatchTest {

  @Test
  void aBatchOfIndicesGivesItsIndicesBack() {
    int[][] inputs = {{3, 1, 4}, {1, 5, 9}};
    int[][] targets = {{1, 4, 1}, {5, 9, 2}};
    Batch batch = Batch.ofIndices(inputs, targets, true);

    assertEquals(Shape.of(2, 3), batch.inputs().shape());
    assertArrayEquals(inputs, batch.inputIndices());
    assertArrayEquals(targets, batch.targetIndices());
    assertNull(batch.mask());
    assertTrue(batch.continues());
    assertEquals(2, batch.size());
  }

  @Test
  void raggedIndicesAreNamedWithTheirRow() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Batch.ofIndices(new int[][] {{1, 2}, {3}}, new int[][] {{1, 2}, {3, 4}}, false));
    assertEquals("batch: index row 1 has 1 columns, row 0 has 2", e.getMessage());
  }
}
