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

  @ParameterizedTest(name = "op(a) op(b), transposed a {0}, transposed b {1}")
  @MethodSource("transposeFlags")
  void transposedOperandsAreReadInPlace(boolean transposeA, boolean transposeB) {
    for (int[] size : new int[][] {{1, 3, 7}, {7, 17, 3}, {33, 65, 17}, {9, 300, 260}}) {
      int n = size[0];
      int k = size[1];
      int m = size[2];
      Random random = new Random(13L * n + k + m);
      Tensor a = uniform(Shape.of(n, k), random);
      Tensor b = uniform(Shape.of(k, m), random);
      Tensor storedA = transposeA ? Layout.transpose(a, 0, 1) : a;
      Tensor storedB = transposeB ? Layout.transpose(b, 0, 1) : b;

      Tensor product = MatMul.matmul(storedA, storedB, transposeA, transposeB);

      assertEquals(Shape.of(n, m), product.shape());
      assertCloseToTextbook(product.toArray(), 0, a.toArray(), 0, b.toArray(), 0, n, k, m);
      double[] java = new double[n * m];
      JavaGemm.gemm(
          transposeA, transposeB, n, k, m, storedA.toArray(), 0, storedB.toArray(), 0, java, 0);
      assertArrayEquals(
          textbook(a.toArray(), 0, b.toArray(), 0, n, k, m),
          java,
          "the Java kernel differs from the textbook loop in some bit");
    }
  }

  @ParameterizedTest(name = "batched, transposed a {0}, transposed b {1}")
  @MethodSource("transposeFlags")
  void transposedBatchesMatchTheirTransposedCopies(boolean transposeA, boolean transposeB) {
    Random random = new Random(99);
    Tensor a = uniform(Shape.of(3, 5, 7), random);
    Tensor b = uniform(Shape.of(3, 7, 9), random);
    Tensor shared = uniform(Shape.of(7, 9), random);
    Tensor storedA = transposeA ? Layout.transpose(a, 1, 2) : a;

    Tensor batched =
        MatMul.matmul(storedA, transposeB ? Layout.transpose(b, 1, 2) : b, transposeA, transposeB);
    Tensor againstOne =
        MatMul.matmul(
            storedA, transposeB ? Layout.transpose(shared, 0, 1) : shared, transposeA, transposeB);

    assertTrue(batched.allClose(MatMul.matmul(a, b), 1e-13, 1e-13), batched::toString);
    assertTrue(againstOne.allClose(MatMul.matmul(a, shared), 1e-13, 1e-13), againstOne::toString);
  }

  static Stream<Arguments> transposeFlags() {
    return Stream.of(
        Arguments.of(false, false),
        Arguments.of(false, true),
        Arguments.of(true, false),
        Arguments.of(true, true));
  }

  @Test
  void javaKernelSumsInTextbookOrderSoRowsDoNotDependOnTheBatch() {
    Random random = new Random(2024);
    int n = 37;
    int k = 300;
    int m = 270;
    double[] a = uniform(Shape.of(n, k), random).toArray();
    double[] b = uniform(Shape.of(k, m), random).toArray();
    double[] whole = new double[n * m];
    JavaGemm.gemm(false, false, n, k, m, a, 0, b, 0, whole, 0);

    double[] expected = textbook(a, 0, b, 0, n, k, m);
    assertArrayEquals(expected, whole, "the product differs from the textbook loop in some bit");
    for (int i = 0; i < n; i++) {
      double[] alone = new double[m];
      JavaGemm.gemm(false, false, 1, k, m, a, i * k, b, 0, alone, 0);
      for (int j = 0; j < m; j++) {
        assertEquals(whole[i * m + j], alone[j], "row " + i + " alone, column " + j);
      }
    }
  }

  @Test
  void oneHotRowsTakeTheSparsePathAndStillSumInTextbookOrder() {
    Random random = new Random(65);
    int n = 32;
    int k = 65;
    int m = 40;
    double[] oneHot = new double[n * k];
    for (int i = 0; i < n; i++) {
      oneHot[i * k + random.nextInt(k)] = 1.0;
    }
    double[] b = uniform(Shape.of(k, m), random).toArray();
    double[] product = new double[n * m];
    JavaGemm.gemm(false, false, n, k, m, oneHot, 0, b, 0, product, 0);
    assertArrayEquals(textbook(oneHot, 0, b, 0, n, k, m), product);

    // The zeros are skipped: a NaN in a row of b that no one-hot row selects reaches no element.
    int unused = 0;
    while (selects(oneHot, n, k, unused)) {
      unused++;
    }
    b[unused * m] = Double.NaN;
    double[] skipped = new double[n * m];
    JavaGemm.gemm(false, false, n, k, m, oneHot, 0, b, 0, skipped, 0);
    assertTrue(Tensor.of(Shape.of(n, m), skipped).isFinite(), "a zero times NaN was added");
  }

  private static boolean selects(double[] oneHot, int n, int k, int column) {
    for (int i = 0; i < n; i++) {
      if (oneHot[i * k + column] != 0) {
        return true;
      }
    }
    return false;
  }

  @Test
  void affineGivesTheNumbersOfAProductThenAnAddition() {
    Random random = new Random(31);
    for (int[] size : new int[][] {{1, 3, 7}, {32, 65, 40}, {33, 128, 96}}) {
      Tensor x = uniform(Shape.of(size[0], size[1]), random);
      Tensor w = uniform(Shape.of(size[1], size[2]), random);
      Tensor b = uniform(Shape.of(size[2]), random);

      Tensor perElement = uniform(Shape.of(size[0], size[2]), random);

      assertArrayEquals(
          Pointwise.add(MatMul.matmul(x, w), b).toArray(), MatMul.affine(x, w, b).toArray());
      assertArrayEquals(
          Pointwise.add(MatMul.matmul(x, w), perElement).toArray(),
          MatMul.affine(x, w, perElement).toArray());
    }
  }

  @Test
  void backendIsNamed() {
    String backend = MatMul.backend();
    assertTrue(backend.startsWith("java") || backend.startsWith("native"), backend);
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
