package dev.rewind.autodiff.tensor;

import static dev.rewind.autodiff.tensor.ThreadCounts.assertSameBits;
import static dev.rewind.autodiff.tensor.ThreadCounts.on;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.internal.ComputePool;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Matrix products on one, two and three threads give the same bits, in float64 and in float32, on
 * shapes large enough to be cut into chunks; small ones stay on the calling thread.
 */
class ThreadCountProperties {
  /**
   * The Java kernel, cut into chunks of rows, gives on any thread count the bits of one call over
   * the whole product: each row is summed in textbook order whatever the rows around it.
   */
  @Property(tries = 8)
  void javaProductIsTheSameOnOneTwoAndThreeThreads(
      @ForAll @IntRange(min = 32, max = 90) int n,
      @ForAll @IntRange(min = 40, max = 160) int k,
      @ForAll @IntRange(min = 0, max = 40) int extraColumns,
      @ForAll boolean transposeA,
      @ForAll boolean transposeB,
      @ForAll @IntRange(min = 0, max = 1000) int seed) {
    int m = columnsAboveThreshold(n, k) + extraColumns;
    Operands x = Operands.random(n, k, m, seed);
    double[] whole = x.product(null, transposeA, transposeB, 1, true);

    long shared = ComputePool.sharedCalls();
    for (int threads = 1; threads <= 3; threads++) {
      double[] chunked = x.product(null, transposeA, transposeB, threads, false);
      assertSameBits(
          whole, chunked, String.format("[%s, %s] x [%s, %s] on %s threads", n, k, k, m, threads));
    }
    assertTrue(
        ComputePool.sharedCalls() > shared, "the product was never handed to another thread");
  }

  /**
   * The native kernel's chunks depend on the shape alone, so its bits on the thread count not at
   * all.
   */
  @Property(tries = 8)
  void nativeProductIsTheSameOnOneTwoAndThreeThreads(
      @ForAll @IntRange(min = 32, max = 90) int n,
      @ForAll @IntRange(min = 40, max = 160) int k,
      @ForAll @IntRange(min = 0, max = 40) int extraColumns,
      @ForAll boolean transposeA,
      @ForAll boolean transposeB,
      @ForAll @IntRange(min = 0, max = 1000) int seed) {
    Optional<NativeGemm> blas = NativeGemm.load(new StringBuilder());
    Assume.that(blas.isPresent() && blas.get().computesColumnBlocks());
    int m = Math.max(columnsAboveThreshold(n, k), 2 * ChunkedGemm.MIN_COLUMNS_PER_CHUNK);
    m += extraColumns;
    Operands x = Operands.random(n, k, m, seed);
    double[] one = x.product(blas.get(), transposeA, transposeB, 1, false);
    double[] whole = x.c.clone();
    blas.get().gemm(transposeA, transposeB, n, k, m, x.a, 0, x.b, 0, whole, 0);
    for (int i = 0; i < whole.length; i++) { // each block in its place
      assertEquals(whole[i], one[i], 1e-10, "element " + i + " of the blocks against one call");
    }

    long shared = ComputePool.sharedCalls();

    for (int threads = 2; threads <= 3; threads++) {
      double[] chunked = x.product(blas.get(), transposeA, transposeB, threads, false);
      assertSameBits(
          one,
          chunked,
          String.format("native [%s, %s] x [%s, %s] on %s threads", n, k, k, m, threads));
    }
    assertTrue(
        ComputePool.sharedCalls() > shared, "the product was never handed to another thread");
  }

  /** {@link #javaProductIsTheSameOnOneTwoAndThreeThreads} for the generated float32 kernel. */
  @Property(tries = 6)
  void javaProductInFloat32IsTheSameOnOneTwoAndThreeThreads(
      @ForAll @IntRange(min = 32, max = 90) int n,
      @ForAll @IntRange(min = 40, max = 160) int k,
      @ForAll @IntRange(min = 0, max = 40) int extraColumns,
      @ForAll boolean transposeA,
      @ForAll boolean transposeB,
      @ForAll @IntRange(min = 0, max = 1000) int seed) {
    int m = columnsAboveThreshold(n, k) + extraColumns;
    Operands x = Operands.random(n, k, m, seed);
    float[] whole = x.productInFloat32(null, transposeA, transposeB, 1, true);

    long shared = ComputePool.sharedCalls();
    for (int threads = 1; threads <= 3; threads++) {
      float[] chunked = x.productInFloat32(null, transposeA, transposeB, threads, false);
      assertSameBits(
          whole,
          chunked,
          String.format("float32 [%s, %s] x [%s, %s] on %s threads", n, k, k, m, threads));
    }
    assertTrue(
        ComputePool.sharedCalls() > shared, "the product was never handed to another thread");
  }

  /** {@link #nativeProductIsTheSameOnOneTwoAndThreeThreads} for sgemm. */
  @Property(tries = 6)
  void nativeProductInFloat32IsTheSameOnOneTwoAndThreeThreads(
      @ForAll @IntRange(min = 32, max = 90) int n,
      @ForAll @IntRange(min = 40, max = 160) int k,
      @ForAll @IntRange(min = 0, max = 40) int extraColumns,
      @ForAll boolean transposeA,
      @ForAll boolean transposeB,
      @ForAll @IntRange(min = 0, max = 1000) int seed) {
    Optional<NativeGemm32> blas = NativeGemm32.load(new StringBuilder());
    Assume.that(blas.isPresent() && blas.get().computesColumnBlocks());
    int m = Math.max(columnsAboveThreshold(n, k), 2 * ChunkedGemm32.MIN_COLUMNS_PER_CHUNK);
    m += extraColumns;
    Operands x = Operands.random(n, k, m, seed);
    float[] one = x.productInFloat32(blas.get(), transposeA, transposeB, 1, false);
    float[] whole = Operands.narrow(x.c);
    blas.get()
        .gemm(
            transposeA,
            transposeB,
            n,
            k,
            m,
            Operands.narrow(x.a),
            0,
            Operands.narrow(x.b),
            0,
            whole,
            0);
    // Each block in its place: a misplaced block is off by about 1, while the blocks' sums (of k
    // products of standard normals, about 13 in size) may round differently from one call's by a
    // few units of float32's precision there, near 1e-6.
    for (int i = 0; i < whole.length; i++) {
      assertEquals(whole[i], one[i], 1e-4, "element " + i + " of the blocks against one call");
    }

    long shared = ComputePool.sharedCalls();
    for (int threads = 2; threads <= 3; threads++) {
      float[] chunked = x.productInFloat32(blas.get(), transposeA, transposeB, threads, false);
      assertSameBits(
          one,
          chunked,
          String.format("native float32 [%s, %s] x [%s, %s] on %s threads", n, k, k, m, threads));
    }
    assertTrue(
        ComputePool.sharedCalls() > shared, "the product was never handed to another thread");
  }

  /**
   * Through the public kernel, on whichever backend it runs: a batch against one matrix, and
   * batched.
   */
  @Property(tries = 6)
  void batchedProductsAndGradientSumsAreTheSameOnOneTwoAndThreeThreads(
      @ForAll @IntRange(min = 2, max = 4) int batch,
      @ForAll @IntRange(min = 32, max = 64) int n,
      @ForAll @IntRange(min = 0, max = 1000) int seed) {
    assertBatchedProductsAreTheSameOnOneTwoAndThreeThreads(batch, n, seed, DType.FLOAT64);
  }

  /** The same, in float32: the generated kernels, and sgemm where it runs. */
  @Property(tries = 6)
  void batchedProductsAndGradientSumsInFloat32AreTheSameOnOneTwoAndThreeThreads(
      @ForAll @IntRange(min = 2, max = 4) int batch,
      @ForAll @IntRange(min = 32, max = 64) int n,
      @ForAll @IntRange(min = 0, max = 1000) int seed) {
    assertBatchedProductsAreTheSameOnOneTwoAndThreeThreads(batch, n, seed, DType.FLOAT32);
  }

  private static void assertBatchedProductsAreTheSameOnOneTwoAndThreeThreads(
      int batch, int n, int seed, DType dtype) {
    Random random = new Random(seed);
    int k = 96;
    int m = columnsAboveThreshold(n, k);
    Tensor a = Tensor.randomNormal(Shape.of(batch, n, k), 0, 1, random).to(dtype);
    Tensor w = Tensor.randomNormal(Shape.of(k, m), 0, 1, random).to(dtype);
    Tensor ws = Tensor.randomNormal(Shape.of(batch, k, m), 0, 1, random).to(dtype);
    Tensor g = Tensor.randomNormal(Shape.of(batch * n, m), 0, 1, random).to(dtype);
    Tensor rows = a.reshape(Shape.of(batch * n, k));

    Tensor[] one = on(1, () -> products(a, w, ws, rows, g));
    long shared = ComputePool.sharedCalls();
    for (int threads = 2; threads <= 3; threads++) {
      Tensor[] more = on(threads, () -> products(a, w, ws, rows, g));
      for (int i = 0; i < one.length; i++) {
        assertEquals(dtype, more[i].dtype(), "product " + i);
        assertSameBits(one[i], more[i], "product " + i + " on " + threads + " threads");
      }
    }
    assertTrue(
        ComputePool.sharedCalls() > shared, "the products were never handed to another thread");
  }

  @Example
  void aSmallProductStaysOnTheCallingThread() {
    Random random = new Random(3);
    // W1's recurrent product at hidden 128: 2,097,152 multiply-adds, under twice a chunk's.
    Tensor h = Tensor.randomNormal(Shape.of(32, 128), 0, 1, random);
    Tensor w = Tensor.randomNormal(Shape.of(128, 512), 0, 1, random);
    Tensor big = Tensor.randomNormal(Shape.of(128, 1024), 0, 1, random);

    long small =
        on(
            2,
            () -> {
              long before = ComputePool.sharedCalls();
              Tensor unused = MatMul.matmul(h, w);
              return ComputePool.sharedCalls() - before;
            });
    long large =
        on(
            2,
            () -> {
              long before = ComputePool.sharedCalls();
              Tensor unused = MatMul.matmul(h, big);
              return ComputePool.sharedCalls() - before;
            });

    assertEquals(0, small, "a product of 2,097,152 multiply-adds was handed to another thread");
    assertEquals(1, large, "a product of 4,194,304 multiply-adds was not shared");
  }

  @Example
  void nativeChunksAreBlocksOfColumnsFixedByTheShape() {
    // W1's recurrent product at hidden 512, 32 x 512 x 2,048: sixteen blocks of 128 columns.
    assertEquals(128, ChunkedGemm.columnsPerChunk(32, 512, 2048));
    // At hidden 128, 32 x 128 x 512: one block, on the calling thread.
    assertEquals(512, ChunkedGemm.columnsPerChunk(32, 128, 512));
    // A product of 4,198,400 multiply-adds with 80 columns: too few for two blocks of 64.
    assertEquals(80, ChunkedGemm.columnsPerChunk(128, 410, 80));
  }

  @Example
  void aThreadCountBelowOneIsAnErrorNamingIt() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Parallelism.setThreads(0));

    assertEquals("threads = 0: the thread count must be at least 1", e.getMessage());
  }

  private static Tensor[] products(Tensor a, Tensor w, Tensor ws, Tensor rows, Tensor g) {
    GradientSum weight =
        new GradientSum(Shape.of(rows.shape().dim(1), g.shape().dim(1)), a.dtype());
    weight.addProduct(rows, g, true, false);
    weight.addProduct(rows, g, true, false);
    return new Tensor[] {
      MatMul.matmul(a, w), MatMul.matmul(a, ws), MatMul.matmul(g, w, false, true), weight.result()
    };
  }

  /** Columns enough for {@code [n, k] x [k, m]} to be cut into at least two chunks. */
  private static int columnsAboveThreshold(int n, int k) {
    return (int) (2 * ChunkedGemm.TERMS_PER_CHUNK / ((long) n * k)) + 1;
  }

  /** Random {@code A} and {@code B} for {@code op(A) [n, k]} and {@code op(B) [k, m]}. */
  private record Operands(int n, int k, int m, double[] a, double[] b, double[] c) {
    static Operands random(int n, int k, int m, int seed) {
      Random random = new Random(seed);
      return new Operands(
          n, k, m, normal(n * k, random), normal(k * m, random), normal(n * m, random));
    }

    /** {@code c + op(A) op(B)}, in chunks on some threads, or in one call of the Java kernel. */
    double[] product(
        NativeGemm blas, boolean transposeA, boolean transposeB, int threads, boolean whole) {
      double[] out = c.clone();
      if (whole) {
        JavaGemm.dense(transposeA, transposeB, n, k, m, a, 0, b, 0, out, 0);
        return out;
      }
      return on(
          threads,
          () -> {
            ChunkedGemm.multiplyAdd(blas, transposeA, transposeB, n, k, m, a, 0, b, 0, out, 0);
            return out;
          });
    }

    /** {@link #product} in float32, on the operands rounded to float32. */
    float[] productInFloat32(
        NativeGemm32 blas, boolean transposeA, boolean transposeB, int threads, boolean whole) {
      float[] left = narrow(a);
      float[] right = narrow(b);
      float[] out = narrow(c);
      if (whole) {
        JavaGemm32.dense(transposeA, transposeB, n, k, m, left, 0, right, 0, out, 0);
        return out;
      }
      return on(
          threads,
          () -> {
            ChunkedGemm32.multiplyAdd(
                blas, transposeA, transposeB, n, k, m, left, 0, right, 0, out, 0);
            return out;
          });
    }

    static float[] narrow(double[] values) {
      float[] narrowed = new float[values.length];
      for (int i = 0; i < values.length; i++) {
        narrowed[i] = (float) values[i];
      }
      return narrowed;
    }

    private static double[] normal(int size, Random random) {
      double[] values = new double[size];
      for (int i = 0; i < size; i++) {
        values[i] = random.nextGaussian();
      }
      return values;
    }
  }
}
