package dev.rewind.autodiff.tensor;

import static dev.rewind.autodiff.tensor.ThreadCounts.assertSameBits;
import static dev.rewind.autodiff.tensor.ThreadCounts.on;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.internal.ComputePool;
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
   * the whole product: each row is summed in textbook order whatever the rows around it. In float32
   * too, on the generated kernel.
   */
  @Property(tries = 12)
  void javaProductIsTheSameOnOneTwoAndThreeThreads(
      @ForAll @IntRange(min = 32, max = 90) int n,
      @ForAll @IntRange(min = 40, max = 160) int k,
      @ForAll @IntRange(min = 0, max = 40) int extraColumns,
      @ForAll boolean transposeA,
      @ForAll boolean transposeB,
      @ForAll @IntRange(min = 0, max = 1000) int seed,
      @ForAll DType dtype) {
    int m = columnsAboveThreshold(n, k) + extraColumns;
    Operands x = Operands.random(n, k, m, seed, dtype);
    double[] whole = x.oneJavaCall(transposeA, transposeB);

    long shared = ComputePool.sharedCalls();
    for (int threads = 1; threads <= 3; threads++) {
      double[] chunked = x.chunked(false, transposeA, transposeB, threads);
      assertSameBits(
          whole,
          chunked,
          String.format("%s [%s, %s] x [%s, %s] on %s threads", dtype, n, k, k, m, threads));
    }
    assertTrue(
        ComputePool.sharedCalls() > shared, "the product was never handed to another thread");
  }

  /**
   * The native kernel's chunks (dgemm, or sgemm in float32) depend on the shape alone, so its bits
   * on the thread count not at all.
   */
  @Property(tries = 12)
  void nativeProductIsTheSameOnOneTwoAndThreeThreads(
      @ForAll @IntRange(min = 32, max = 90) int n,
      @ForAll @IntRange(min = 40, max = 160) int k,
      @ForAll @IntRange(min = 0, max = 40) int extraColumns,
      @ForAll boolean transposeA,
      @ForAll boolean transposeB,
      @ForAll @IntRange(min = 0, max = 1000) int seed,
      @ForAll DType dtype) {
    Assume.that(Operands.nativeComputesColumnBlocks(dtype));
    int minColumns =
        dtype == DType.FLOAT64
            ? ChunkedGemm.MIN_COLUMNS_PER_CHUNK
            : ChunkedGemm32.MIN_COLUMNS_PER_CHUNK;
    int m = Math.max(columnsAboveThreshold(n, k), 2 * minColumns) + extraColumns;
    Operands x = Operands.random(n, k, m, seed, dtype);
    double[] one = x.chunked(true, transposeA, transposeB, 1);
    double[] whole = x.oneNativeCall(transposeA, transposeB);
    // Each block in its place: a misplaced block is off by about 1, while the blocks' sums (of k
    // products of standard normals, about 13 in size) may round differently from one call's, by a
    // few units of the dtype's precision there (near 1e-6 in float32).
    double tolerance = dtype == DType.FLOAT64 ? 1e-10 : 1e-4;
    for (int i = 0; i < whole.length; i++) {
      assertEquals(whole[i], one[i], tolerance, "element " + i + " of the blocks against one call");
    }

    long shared = ComputePool.sharedCalls();
    for (int threads = 2; threads <= 3; threads++) {
      double[] chunked = x.chunked(true, transposeA, transposeB, threads);
      assertSameBits(
          one,
          chunked,
          String.format("native %s [%s, %s] x [%s, %s] on %s threads", dtype, n, k, k, m, threads));
    }
    assertTrue(
        ComputePool.sharedCalls() > shared, "the product was never handed to another thread");
  }

  /**
   * Through the public kernel, on whichever backend it runs: a batch against one matrix, and
   * batched; in float32, the generated kernels, and sgemm where it runs.
   */
  @Property(tries = 12)
  void batchedProductsAndGradientSumsAreTheSameOnOneTwoAndThreeThreads(
      @ForAll @IntRange(min = 2, max = 4) int batch,
      @ForAll @IntRange(min = 32, max = 64) int n,
      @ForAll @IntRange(min = 0, max = 1000) int seed,
      @ForAll DType dtype) {
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

  /**
   * Random {@code A}, {@code B} and {@code C} for {@code C + op(A) op(B)}, {@code op(A) [n, k]} and
   * {@code op(B) [k, m]}, drawn in float64 and, in float32, rounded. Products come back widened to
   * float64, which is exact, so one comparison of bits serves both dtypes.
   */
  private record Operands(int n, int k, int m, double[] a, double[] b, double[] c, DType dtype) {
    static Operands random(int n, int k, int m, int seed, DType dtype) {
      Random random = new Random(seed);
      return new Operands(
          n, k, m, normal(n * k, random), normal(k * m, random), normal(n * m, random), dtype);
    }

    /** Whether the native BLAS of this dtype loads and can compute a block of columns alone. */
    static boolean nativeComputesColumnBlocks(DType dtype) {
      return dtype == DType.FLOAT64
          ? NativeGemm.load(new StringBuilder()).map(NativeGemm::computesColumnBlocks).orElse(false)
          : NativeGemm32.load(new StringBuilder())
              .map(NativeGemm32::computesColumnBlocks)
              .orElse(false);
    }

    /** The product in one call of the Java kernel. */
    double[] oneJavaCall(boolean transposeA, boolean transposeB) {
      if (dtype == DType.FLOAT64) {
        double[] out = c.clone();
        JavaGemm.dense(transposeA, transposeB, n, k, m, a, 0, b, 0, out, 0);
        return out;
      }
      float[] out = narrow(c);
      JavaGemm32.dense(transposeA, transposeB, n, k, m, narrow(a), 0, narrow(b), 0, out, 0);
      return widen(out);
    }

    /** The product in one call of the native BLAS. */
    double[] oneNativeCall(boolean transposeA, boolean transposeB) {
      if (dtype == DType.FLOAT64) {
        double[] out = c.clone();
        NativeGemm.load(new StringBuilder())
            .orElseThrow()
            .gemm(transposeA, transposeB, n, k, m, a, 0, b, 0, out, 0);
        return out;
      }
      float[] out = narrow(c);
      NativeGemm32.load(new StringBuilder())
          .orElseThrow()
          .gemm(transposeA, transposeB, n, k, m, narrow(a), 0, narrow(b), 0, out, 0);
      return widen(out);
    }

    /** The product cut into chunks on {@code threads} threads, on the native BLAS or in Java. */
    double[] chunked(boolean onNative, boolean transposeA, boolean transposeB, int threads) {
      if (dtype == DType.FLOAT64) {
        NativeGemm blas = onNative ? NativeGemm.load(new StringBuilder()).orElseThrow() : null;
        double[] out = c.clone();
        return on(
            threads,
            () -> {
              ChunkedGemm.multiplyAdd(blas, transposeA, transposeB, n, k, m, a, 0, b, 0, out, 0);
              return out;
            });
      }
      NativeGemm32 blas = onNative ? NativeGemm32.load(new StringBuilder()).orElseThrow() : null;
      float[] left = narrow(a);
      float[] right = narrow(b);
      float[] out = narrow(c);
      return on(
          threads,
          () -> {
            ChunkedGemm32.multiplyAdd(
                blas, transposeA, transposeB, n, k, m, left, 0, right, 0, out, 0);
            return widen(out);
          });
    }

    private static float[] narrow(double[] values) {
      float[] narrowed = new float[values.length];
      for (int i = 0; i < values.length; i++) {
        narrowed[i] = (float) values[i];
      }
      return narrowed;
    }

    private static double[] widen(float[] values) {
      double[] widened = new double[values.length];
      for (int i = 0; i < values.length; i++) {
        widened[i] = values[i];
      }
      return widened;
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
