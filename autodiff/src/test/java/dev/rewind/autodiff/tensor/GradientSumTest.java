package dev.rewind.autodiff.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rewind.autodiff.internal.SparseLeft;
import java.util.ArrayList;
import java.util.List;
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

  // A recurrent weight's sum, [H, G], large enough that its short products are stacked, and the
  // operands of one step's product, h(t-1) [B, H] and da(t) [B, G].
  private static final int H = 256;
  private static final int G = 4 * H;
  private static final int B = 16;

  @Test
  void shortProductsAddAsOneTallProductOfTheirRowsInTurn() {
    Random random = new Random(5);
    List<Tensor> hs = new ArrayList<>();
    List<Tensor> das = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      hs.add(Tensor.randomNormal(Shape.of(B, H), 0, 1, random));
      das.add(Tensor.randomNormal(Shape.of(B, G), 0, 1, random));
    }
    Tensor between = Tensor.randomNormal(Shape.of(H, G), 0, 1, random);
    GradientSum sum = new GradientSum(Shape.of(H, G));
    for (int t = 0; t < 6; t++) {
      sum.addProduct(hs.get(t), das.get(t), true, false);
      if (t == 2) {
        sum.add(between);
      }
    }

    // The first three steps' rows as one product, then the tensor added between, then the rest:
    // what is stacked is added before anything else is.
    double[] expected = new double[H * G];
    addTallProduct(hs.subList(0, 3), das.subList(0, 3), expected);
    for (int i = 0; i < expected.length; i++) {
      expected[i] += between.data[i];
    }
    addTallProduct(hs.subList(3, 6), das.subList(3, 6), expected);
    assertEquals(new Tensor(Shape.of(H, G), expected), sum.result());
  }

  /** {@code into += hᵀ da}, the steps' rows stacked in the order they were added. */
  private static void addTallProduct(List<Tensor> hs, List<Tensor> das, double[] into) {
    MatMul.multiplyAdd(Layout.concat(hs, 0), Layout.concat(das, 0), true, false, into);
  }

  @Test
  void onTheJavaKernelATallProductRoundsAsItsStepsAddedOneByOne() {
    // What makes a stack the same bits on the Java kernel: it adds every term to the element in
    // turn, so one product over the steps' rows equals the steps' products added in order.
    Random random = new Random(8);
    int steps = 5;
    double[] hs = Tensor.randomNormal(Shape.of(steps * B, H), 0, 1, random).data;
    double[] das = Tensor.randomNormal(Shape.of(steps * B, G), 0, 1, random).data;
    double[] oneByOne = new double[H * G];
    for (int t = 0; t < steps; t++) {
      JavaGemm.dense(true, false, H, B, G, hs, t * B * H, das, t * B * G, oneByOne, 0);
    }
    double[] tall = new double[H * G];
    JavaGemm.dense(true, false, H, steps * B, G, hs, 0, das, 0, tall, 0);
    assertArrayEquals(oneByOne, tall);
  }

  @Test
  void moreRowsThanAStackHoldsAreAddedInTallProductsThatTogetherHoldThemAll() {
    Random random = new Random(6);
    // 40 steps of 16 rows: more than one stack of rows for a sum of [256, 1024].
    int steps = 40;
    double[] textbook = new double[H * G];
    GradientSum sum = new GradientSum(Shape.of(H, G));
    for (int t = 0; t < steps; t++) {
      Tensor h = Tensor.randomNormal(Shape.of(B, H), 0, 1, random);
      Tensor da = Tensor.randomNormal(Shape.of(B, G), 0, 1, random);
      sum.addProduct(h, da, true, false);
      for (int p = 0; p < B; p++) {
        for (int i = 0; i < H; i++) {
          for (int j = 0; j < G; j++) {
            textbook[i * G + j] += h.data[p * H + i] * da.data[p * G + j];
          }
        }
      }
    }
    double[] result = sum.result().data;
    for (int e = 0; e < result.length; e++) {
      // Sums of 640 terms of size about 1: native BLAS rounds in an order of its own.
      assertEquals(textbook[e], result[e], 1e-11, "element " + e);
    }
  }

  @Test
  void aFloat32SumStacksItsShortProductsAsTheFloat64OneDoes() {
    Random random = new Random(7);
    Tensor h1 = Tensor.randomNormal(Shape.of(B, H), 0, 1, random).to(DType.FLOAT32);
    Tensor da1 = Tensor.randomNormal(Shape.of(B, G), 0, 1, random).to(DType.FLOAT32);
    Tensor h2 = Tensor.randomNormal(Shape.of(B, H), 0, 1, random).to(DType.FLOAT32);
    Tensor da2 = Tensor.randomNormal(Shape.of(B, G), 0, 1, random).to(DType.FLOAT32);
    GradientSum sum = new GradientSum(Shape.of(H, G), DType.FLOAT32);
    sum.addProduct(h1, da1, true, false);
    sum.addProduct(h2, da2, true, false);

    Tensor tall =
        MatMul.matmul(
            Layout.concat(List.of(h1, h2), 0), Layout.concat(List.of(da1, da2), 0), true, false);
    assertEquals(tall, sum.result());
  }
}
