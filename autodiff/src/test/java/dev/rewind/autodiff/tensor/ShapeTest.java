package dev.rewind.autodiff.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.check.TensorArbitraries;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The dimensions of a tensor: value semantics, axes and NumPy's broadcasting rules. */
class ShapeTest {

  @Test
  void shapesWithTheSameDimensionsAreEqualAndHashAlike() {
    Shape a = Shape.of(2, 3);
    Shape b = Shape.of(new int[] {2, 3});

    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(Shape.of(3, 2), a);
    assertNotEquals(Shape.of(2, 3, 1), a);
  }

  @Test
  void ofCopiesItsInput() {
    int[] dims = {2, 3};
    Shape shape = Shape.of(dims);

    dims[0] = 7;

    assertEquals(Shape.of(2, 3), shape);
  }

  @Test
  void toArrayReturnsACopy() {
    Shape shape = Shape.of(2, 3);

    shape.toArray()[0] = 7;

    assertArrayEquals(new int[] {2, 3}, shape.toArray());
  }

  @Test
  void scalarShapeHasRankZeroAndOneElement() {
    assertEquals(0, Shape.SCALAR.rank());
    assertEquals(1, Shape.SCALAR.size());
    assertEquals(Shape.of(), Shape.SCALAR);
    assertEquals("[]", Shape.SCALAR.toString());
  }

  @Test
  void sizeIsTheProductOfTheDimensions() {
    assertEquals(24, Shape.of(2, 3, 4).size());
    assertEquals(0, Shape.of(2, 0, 4).size());
  }

  @Test
  void toStringListsTheDimensions() {
    assertEquals("[2, 3, 4]", Shape.of(2, 3, 4).toString());
  }

  @Test
  void negativeDimensionIsRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Shape.of(2, -1));

    assertTrue(e.getMessage().contains("negative"), e.getMessage());
  }

  @Test
  void sizeThatOverflowsAnIntIsRejected() {
    assertThrows(ArithmeticException.class, () -> Shape.of(1 << 16, 1 << 16).size());
  }

  @Test
  void negativeAxisCountsFromTheEnd() {
    Shape shape = Shape.of(2, 3, 4);

    assertEquals(4, shape.dim(-1));
    assertEquals(2, shape.dim(-3));
    assertEquals(2, shape.axis(-1, "op"));
    assertEquals(0, shape.axis(-3, "op"));
  }

  @Test
  void axisOutOfRangeNamesTheOpTheAxisAndTheShape() {
    Shape shape = Shape.of(2, 3);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> shape.axis(2, "softmax"));

    assertEquals("softmax: axis 2 is out of range for shape [2, 3]", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> shape.axis(-3, "softmax"));
  }

  @Test
  void stridesAreRowMajor() {
    assertArrayEquals(new int[] {12, 4, 1}, Shape.of(2, 3, 4).strides());
    assertArrayEquals(new int[] {}, Shape.SCALAR.strides());
  }

  @Test
  void withDimWithoutAndInsertingEditOneAxis() {
    Shape shape = Shape.of(2, 3, 4);

    assertEquals(Shape.of(2, 5, 4), shape.withDim(1, 5));
    assertEquals(Shape.of(2, 4), shape.without(1));
    assertEquals(Shape.of(1, 2, 3, 4), shape.inserting(0, 1));
    assertEquals(Shape.of(2, 3, 4, 6), shape.inserting(3, 6));
    assertEquals(Shape.of(2, 3, 4), shape);
  }

  @Test
  void broadcastAlignsFromTheRight() {
    assertEquals(Shape.of(2, 3), Shape.of(2, 3).broadcast(Shape.of(3), "add"));
    assertEquals(Shape.of(2, 3), Shape.of(3).broadcast(Shape.of(2, 3), "add"));
    assertEquals(Shape.of(2, 3), Shape.of(2, 1).broadcast(Shape.of(1, 3), "add"));
    assertEquals(Shape.of(4, 2, 3), Shape.of(4, 1, 3).broadcast(Shape.of(2, 1), "add"));
    assertEquals(Shape.of(2, 3), Shape.SCALAR.broadcast(Shape.of(2, 3), "add"));
    assertEquals(Shape.SCALAR, Shape.SCALAR.broadcast(Shape.SCALAR, "add"));
  }

  @Test
  void incompatibleBroadcastNamesTheOpAndBothShapes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Shape.of(2, 3).broadcast(Shape.of(4), "mul"));

    assertEquals(
        "mul: [2, 3] and [4] do not broadcast: dimensions 3 and 4 differ and neither is 1",
        e.getMessage());
  }

  @Test
  void broadcastsToAcceptsOnlyOnesAndMatchingDimensions() {
    assertTrue(Shape.of(3).broadcastsTo(Shape.of(2, 3)));
    assertTrue(Shape.of(2, 1).broadcastsTo(Shape.of(2, 3)));
    assertTrue(Shape.SCALAR.broadcastsTo(Shape.of(2, 3)));
    assertTrue(Shape.of(2, 3).broadcastsTo(Shape.of(2, 3)));
    assertFalse(Shape.of(2).broadcastsTo(Shape.of(2, 3)));
    assertFalse(Shape.of(2, 3).broadcastsTo(Shape.of(3)));
    assertFalse(Shape.of(2, 3).broadcastsTo(Shape.of(1, 3)));
  }

  @Property(tries = 100)
  void broadcastIsSymmetric(@ForAll("pairs") List<Shape> pair) {
    Shape a = pair.get(0);
    Shape b = pair.get(1);

    assertEquals(a.broadcast(b, "add"), b.broadcast(a, "add"));
  }

  @Property(tries = 100)
  void bothOperandsBroadcastToTheBroadcastShape(@ForAll("pairs") List<Shape> pair) {
    Shape a = pair.get(0);
    Shape b = pair.get(1);
    Shape result = a.broadcast(b, "add");

    assertTrue(a.broadcastsTo(result), () -> a + " to " + result);
    assertTrue(b.broadcastsTo(result), () -> b + " to " + result);
    assertEquals(Math.max(a.rank(), b.rank()), result.rank());
  }

  @Provide
  Arbitrary<List<Shape>> pairs() {
    return TensorArbitraries.broadcastablePairs(3, 4);
  }
}
