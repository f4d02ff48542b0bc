package dev.rewind.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import org.junit.jupiter.api.Test;

class IndicesTest {

  @Test
  void gridsWithTheSameIndicesAreEqual() {
    assertEquals(
        Indices.of(new int[][] {{1, 2}, {3, 4}}), Indices.of(new int[][] {{1, 2}, {3, 4}}));
    assertNotEquals(
        Indices.of(new int[][] {{1, 2}, {3, 4}}), Indices.of(new int[][] {{1, 2, 3, 4}}));
  }

  @Test
  void changingTheSourceArrayDoesNotChangeTheGrid() {
    int[][] source = {{1, 2}};
    Indices indices = Indices.of(source);
    source[0][0] = 9;

    assertArrayEquals(new int[][] {{1, 2}}, indices.toArray());
  }

  @Test
  void raggedRowsAreRejectedNamingTheRow() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Indices.of(new int[][] {{1, 2}, {3}}));

    assertEquals("indices: row 1 has 1 columns but row 0 has 2", e.getMessage());
  }

  @Test
  void oneHotOfAGridIsBatchTimeClasses() {
    Tensor encoded = OneHot.encode(new int[][] {{0, 2}, {1, 1}}, 3);

    assertEquals(Tensor.of(Shape.of(2, 2, 3), 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0), encoded);
  }

  @Test
  void aClassBatchWhoseTargetsDoNotFitItsInputsNamesBothShapes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ClassBatch(Tensor.zeros(2, 3, 4), Indices.row(1, 2, 3), Tensor.ones(2, 3)));

    assertEquals(
        "class batch: targets [1, 3] must be [batch, time] for inputs [2, 3, 4]", e.getMessage());
  }
}
