package dev.rewind.autodiff.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rewind.autodiff.internal.SparseLeft;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Summing gradients in place never writes to a tensor it was given. */
class GradientSumTest {

  @Test
  void oneGradientIsReturnedAsIs() {
    Tensor g = Tensor.vector(1, 2);
    GradientSum sum = new GradientSum(g.shape());
    sum.add(g);

    assertSame(g, sum.result());
  }

  @Test
  void sumsLeaveTheirOperandsUnchanged() {
    Tensor a = Tensor.vector(1, 2);
    Tensor b = Tensor.vector(10, 20);
    GradientSum sum = new GradientSum(a.shape());
    sum.add(a);
    sum.add(b);
    sum.add(a);

    assertEquals(Tensor.vector(12, 24), sum.result());
    assertEquals(Tensor.vector(1, 2), a);
    assertEquals(Tensor.vector(10, 20), b);
  }

  @Test
  void aSliceAddsIntoItsRegionAsIfPaddedWithZeros() {
    Tensor full = Tensor.matrix(new double[][] {{1, 1, 1, 1}, {1, 1, 1, 1}});
    Tensor part = Tensor.matrix(new double[][] {{5, 6}, {7, 8}});
    GradientSum sum = new GradientSum(full.shape());
    sum.add(full);
    sum.addSlice(part, 1, 1);

    assertEquals(Tensor.matrix(new double[][] {{1, 6, 7, 1}, {1, 8, 9, 1}}), sum.result());
    assertEquals(Layout.pad(part, 1, 1, 1), slicedAlone(part, full.shape()));
  }

  @Test
  void aTransposedProductFromKnownNonZerosAddsAsTheProductDoes() {
    Random random = new Random(5);
    double[] oneHot = new double[12 * 10];
    for (int row = 0; row < 12; row++) {
      oneHot[row * 10 + random.nextInt(10)] = 1.0;
    }
    Tensor x = Tensor.of(Shape.of(12, 10), oneHot);
    Tensor g = Tensor.randomNormal(Shape.of(12, 8), 0, 1, random);
    GradientSum known = new GradientSum(Shape.of(10, 8));
    GradientSum found = new GradientSum(Shape.of(10, 8));
    known.add(Tensor.ones(10, 8));
    found.add(Tensor.ones(10, 8));

    known.addTransposedProduct(SparseLeft.of(x, 8), g);
    found.addProduct(x, g, true, false);

    assertEquals(found.result(), known.result());
  }

  @Test
  void aTransposedProductOfTheWrongShapeIsNamed() {
    Tensor x = Tensor.of(Shape.of(3, 4), 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0);
    GradientSum sum = new GradientSum(Shape.of(4, 9));

    String message =
        assertThrows(
                IllegalArgumentException.class,
                () -> sum.addTransposedProduct(SparseLeft.of(x, 8), Tensor.zeros(3, 8)))
            .getMessage();

    assertEquals(
        "gradient sum: the product of a [3, 4]ᵀ and b [3, 8] for a value of shape [4, 9]", message);
  }

  @Test
  void aProductAddsAsIfItWereComputedFirst() {
    Tensor h = Tensor.matrix(new double[][] {{1, 2}, {3, 4}, {5, 6}});
    Tensor g = Tensor.matrix(new double[][] {{1, 0, 2}, {0, 1, 0}, {1, 1, 1}});
    Tensor earlier = Tensor.ones(2, 3);
    GradientSum sum = new GradientSum(Shape.of(2, 3));
    sum.add(earlier);
    sum.addProduct(h, g, true, false);

    Tensor expected = Pointwise.add(earlier, MatMul.matmul(h, g, true, false));
    assertEquals(expected, sum.result());
    assertEquals(Tensor.ones(2, 3), earlier);
  }

  @Test
  void aSliceThatDoesNotFitNamesBothShapes() {
    GradientSum sum = new GradientSum(Shape.of(2, 4));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> sum.addSlice(Tensor.zeros(2, 2), 1, 3));

    assertEquals(
        "gradient sum: a slice gradient [2, 2] at 3 along axis 1 for a value of shape [2, 4]",
        e.getMessage());
  }

  private static Tensor slicedAlone(Tensor part, Shape shape) {
    GradientSum sum = new GradientSum(shape);
    sum.addSlice(part, 1, 1);
    return sum.result();
  }
}
