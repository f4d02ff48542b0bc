package dev.rewind.autodiff.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The matrix-product kernel against the textbook triple loop, on random operands of odd sizes
 * (which leave remainders in every blocked loop) and of sizes that cross the kernel's block
 * boundaries, in all three shape forms. Each element must agree to within {@value #TOLERANCE} of
 * {@code sum_p |a[i][p] b[p][j]|}, the scale of the rounding error a dot product can carry, so an
 * element that cancels to near zero is not held to a relative error it cannot meet.
 */
class MatMulKernelTest {
  private static final double TOLERANCE = 1e-12;
  private static final int[] ODD_SIZES = {1, 3, 7, 17, 33, 65, 130};

  static Stream<Arguments> oddSizes() {
    List<Arguments> triples = new ArrayList<>();
    for (int n : ODD_SIZES) {
      for (int k : ODD_SIZES) {
        for (int m : ODD_SIZES) {
          triples.add(Arguments.of(n, k, m));
        }
      }
    }
    return triples.stream();
  }

  /** Sizes on both sides of the kernel's 256-column and 256-deep blocks and its 8-row cut-off. */
  static Stream<Arguments> blockBoundaries() {
    return Stream.of(
        Arguments.of(7, 300, 9),
        Arguments.of(8, 255, 257),
        Arguments.of(9, 256, 256),
        Arguments.of(17, 513, 300),
        Arguments.of(33, 257, 520),
        Arguments.of(2, 600, 600));
  }

  @ParameterizedTest(name = "[{0}, {1}] x [{1}, {2}]")
  @MethodSource({"oddSizes", "blockBoundaries"})
  void matrixProductMatchesTextbookLoop(int n, int k, int m) {
    Random random = new Random(31L * n + 17L * k + m);
    Tensor a = uniform(Shape.of(n, k), random);
    Tensor b = uniform(Shape.of(k, m), random);

    Tensor product = MatMul.matmul(a, b);

    assertEquals(Shape.of(n, m), product.shape());
    assertCloseToTextbook(product.toArray(), 0, a.toArray(), 0, b.toArray(), 0, n, k, m);
  }

  @ParameterizedTest(name = "[3, {0}, {1}] x [3, {1}, {2}]")
  @MethodSource({"oddSizes", "blockBoundaries"})
  void batchedProductMatchesTextbookLoopPerBatch(int n, int k, int m) {
    int batch = 3;
    Random random = new Random(7L * n + 5L * k + m);
    Tensor a = uniform(Shape.of(batch, n, k), random);
    Tensor b = uniform(Shape.of(batch, k, m), random);

    Tensor product = MatMul.matmul(a, b);

    assertEquals(Shape.of(batch, n, m), product.shape());
    for (int i = 0; i < batch; i++) {
      assertCloseToTextbook(
          product.toArray(), i * n * m, a.toArray(), i * n * k, b.toArray(), i * k * m, n, k, m);
    }
  }

  @ParameterizedTest(name = "[2, {0}, {1}] x [{1}, {2}]")
  @MethodSource({"oddSizes", "blockBoundaries"})
  void batchAgainstOneMatrixMatchesTallProduct(int n, int k, int m) {
    int batch = 2;
    Random random = new Random(3L * n + 11L * k + m);
    Tensor a = uniform(Shape.of(batch, n, k), random);
    Tensor b = uniform(Shape.of(k, m), random);

    Tensor product = MatMul.matmul(a, b);

    assertEquals(Shape.of(batch, n, m), product.shape());
    assertCloseToTextbook(product.toArray(), 0, a.toArray(), 0, b.toArray(), 0, batch * n, k, m);
  }

  @Test
  void sumsInTextbookOrderSoRowsDoNotDependOnTheBatch() {
    Random random = new Random(2024);
    int n = 37;
    int k = 300;
    int m = 270;
    Tensor a = uniform(Shape.of(n, k), random);
    Tensor b = uniform(Shape.of(k, m), random);
    double[] whole = MatMul.matmul(a, b).toArray();

    double[] expected = textbook(a.toArray(), 0, b.toArray(), 0, n, k, m);
    assertArrayEquals(expected, whole, "the product differs from the textbook loop in some bit");
    for (int i = 0; i < n; i++) {
      double[] row = new double[k];
      System.arraycopy(a.toArray(), i * k, row, 0, k);
      double[] alone = MatMul.matmul(Tensor.of(Shape.of(1, k), row), b).toArray();
      for (int j = 0; j < m; j++) {
        assertEquals(whole[i * m + j], alone[j], "row " + i + " alone, column " + j);
      }
    }
  }

  @Test
  void emptyInnerDimensionGivesZeros() {
    assertEquals(Tensor.zeros(3, 4), MatMul.matmul(Tensor.zeros(3, 0), Tensor.zeros(0, 4)));
    assertEquals(Tensor.zeros(2, 9, 10), MatMul.matmul(Tensor.zeros(2, 9, 0), Tensor.zeros(0, 10)));
    assertEquals(
        Tensor.zeros(2, 9, 10), MatMul.matmul(Tensor.zeros(2, 9, 0), Tensor.zeros(2, 0, 10)));
  }

  @Test
  void emptyOuterDimensionsGiveEmptyProducts() {
    assertEquals(Shape.of(0, 4), MatMul.matmul(Tensor.zeros(0, 3), Tensor.ones(3, 4)).shape());
    assertEquals(Shape.of(3, 0), MatMul.matmul(Tensor.ones(3, 5), Tensor.zeros(5, 0)).shape());
  }

  @Test
  void mismatchedInnerDimensionsNameBothShapes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MatMul.matmul(Tensor.zeros(3, 4), Tensor.zeros(5, 6)));

    assertEquals("matmul: [3, 4] x [5, 6]: inner dimensions 4 and 5 differ", e.getMessage());
  }

  @Test
  void mismatchedBatchSizesNameBothShapes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MatMul.matmul(Tensor.zeros(2, 3, 4), Tensor.zeros(5, 4, 6)));

    assertEquals("matmul: [2, 3, 4] x [5, 4, 6]: batch sizes 2 and 5 differ", e.getMessage());
  }

  @Test
  void unsupportedRanksNameBothShapes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MatMul.matmul(Tensor.zeros(3, 4), Tensor.zeros(2, 4, 6)));

    assertTrue(e.getMessage().startsWith("matmul: [3, 4] x [2, 4, 6]: expected "), e.getMessage());
  }

  private static Tensor uniform(Shape shape, Random random) {
    return Tensor.randomUniform(shape, -1.0, 1.0, random);
  }

  /** {@code c[i][j] = sum_p a[i][p] b[p][j]}, summed in order of {@code p}. */
  private static double[] textbook(
      double[] a, int aOffset, double[] b, int bOffset, int n, int k, int m) {
    double[] c = new double[n * m];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        double sum = 0.0;
        for (int p = 0; p < k; p++) {
          sum += a[aOffset + i * k + p] * b[bOffset + p * m + j];
        }
        c[i * m + j] = sum;
      }
    }
    return c;
  }

  private static void assertCloseToTextbook(
      double[] actual,
      int cOffset,
      double[] a,
      int aOffset,
      double[] b,
      int bOffset,
      int n,
      int k,
      int m) {
    double[] expected = textbook(a, aOffset, b, bOffset, n, k, m);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        double scale = 0.0;
        for (int p = 0; p < k; p++) {
          scale += Math.abs(a[aOffset + i * k + p] * b[bOffset + p * m + j]);
        }
        double error = Math.abs(actual[cOffset + i * m + j] - expected[i * m + j]);
        if (!(error <= TOLERANCE * scale)) {
          throw new AssertionError(
              String.format(
                  "[%s, %s] x [%s, %s]: element (%s, %s) is %s, the textbook loop gives %s",
                  n, k, k, m, i, j, actual[cOffset + i * m + j], expected[i * m + j]));
        }
      }
    }
  }
}
