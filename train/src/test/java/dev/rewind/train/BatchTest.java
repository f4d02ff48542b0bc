package dev.rewind.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
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
  void rowsAreTheSequencesOfAShardWithTheirMaskAndContinuation() {
    int[][] inputs = {{3, 1, 4}, {1, 5, 9}, {2, 6, 5}};
    int[][] targets = {{1, 4, 1}, {5, 9, 2}, {6, 5, 3}};
    Tensor mask = Tensor.of(Shape.of(3, 3), new double[] {1, 1, 1, 1, 1, 0, 1, 0, 0});
    Batch batch = new Batch(Batch.indexTensor(inputs), Batch.indexTensor(targets), mask, true);

    Batch shard = batch.rows(1, 3);

    assertArrayEquals(new int[][] {{1, 5, 9}, {2, 6, 5}}, shard.inputIndices());
    assertArrayEquals(new int[][] {{5, 9, 2}, {6, 5, 3}}, shard.targetIndices());
    assertArrayEquals(new double[] {1, 1, 0, 1, 0, 0}, shard.mask().toArray());
    assertTrue(shard.continues());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> batch.rows(2, 4));
    assertEquals(
        "batch: rows [2, 4) are not inside the 3 sequences of inputs [3, 3]", e.getMessage());
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
