package dev.rewind.autodiff.internal;

import static dev.rewind.autodiff.tensor.ThreadCounts.assertSameBits;
import static dev.rewind.autodiff.tensor.ThreadCounts.on;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The fused gate kernels, forward and backward, give the same bits on one, two and three threads,
 * in float64 and in float32, on batches large enough to be cut into chunks of rows; a small batch
 * stays on the calling thread.
 */
class GateKernelsThreadCountProperties {
  @Property(tries = 9)
  void lstmGatesAreTheSameOnOneTwoAndThreeThreads(
      @ForAll @IntRange(min = 17, max = 48) int batch,
      @ForAll @IntRange(min = 0, max = 40) int extraHidden,
      @ForAll @IntRange(min = 0, max = 1000) int seed,
      @ForAll DType dtype) {
    assertLstmIsTheSameOnOneTwoAndThreeThreads(batch, extraHidden, seed, dtype);
  }

  @Property(tries = 9)
  void gruGatesAreTheSameOnOneTwoAndThreeThreads(
      @ForAll @IntRange(min = 17, max = 48) int batch,
      @ForAll @IntRange(min = 0, max = 40) int extraHidden,
      @ForAll @IntRange(min = 0, max = 1000) int seed,
      @ForAll DType dtype) {
    assertGruIsTheSameOnOneTwoAndThreeThreads(batch, extraHidden, seed, dtype);
  }

  private static void assertLstmIsTheSameOnOneTwoAndThreeThreads(
      int batch, int extraHidden, int seed, DType dtype) {
    int hidden = hiddenAboveThreshold(batch) + extraHidden;
    Random random = new Random(seed);
    Tensor a = Tensor.randomNormal(Shape.of(batch, 4 * hidden), 0, 2, random).to(dtype);
    Tensor c = Tensor.randomNormal(Shape.of(batch, hidden), 0, 1, random).to(dtype);
    Tensor dh = Tensor.randomNormal(Shape.of(batch, hidden), 0, 1, random).to(dtype);
    Tensor dc = Tensor.randomNormal(Shape.of(batch, hidden), 0, 1, random).to(dtype);

    List<Tensor> one = on(1, () -> lstm(a, c, dh, dc));
    for (int i = 0; i < one.size(); i++) {
      assertEquals(dtype, one.get(i).dtype(), "LSTM result " + i);
    }
    for (int b = 0; b < batch; b += 7) { // a row alone is never cut: the chunks' rows match it
      List<Tensor> alone = lstm(row(a, b), row(c, b), row(dh, b), row(dc, b));
      for (int i = 0; i < one.size(); i++) {
        assertSameBits(alone.get(i), row(one.get(i), b), "LSTM result " + i + ", row " + b);
      }
    }
    long shared = ComputePool.sharedCalls();
    for (int threads = 2; threads <= 3; threads++) {
      List<Tensor> more = on(threads, () -> lstm(a, c, dh, dc));
      for (int i = 0; i < one.size(); i++) {
        assertSameBits(one.get(i), more.get(i), "LSTM result " + i + " on " + threads + " threads");
      }
    }
    assertTrue(ComputePool.sharedCalls() > shared, "the LSTM step was never shared");
  }

  private static void assertGruIsTheSameOnOneTwoAndThreeThreads(
      int batch, int extraHidden, int seed, DType dtype) {
    int hidden = hiddenAboveThreshold(batch) + extraHidden;
    Random random = new Random(seed);
    Tensor axs = Tensor.randomNormal(Shape.of(batch, 3, 3 * hidden), 0, 2, random).to(dtype);
    Tensor ah = Tensor.randomNormal(Shape.of(batch, 3 * hidden), 0, 2, random).to(dtype);
    Tensor h = Tensor.randomNormal(Shape.of(batch, hidden), 0, 1, random).to(dtype);
    Tensor up = Tensor.randomNormal(Shape.of(batch, hidden), 0, 1, random).to(dtype);

    List<Tensor> one = on(1, () -> gru(axs, ah, h, up));
    for (int i = 0; i < one.size(); i++) {
      assertEquals(dtype, one.get(i).dtype(), "GRU result " + i);
    }
    Tensor ax = axs.reshape(Shape.of(batch, 3 * 3 * hidden));
    for (int b = 0; b < batch; b += 7) { // a row alone is never cut: the chunks' rows match it
      List<Tensor> alone =
          gru(row(ax, b).reshape(Shape.of(1, 3, 3 * hidden)), row(ah, b), row(h, b), row(up, b));
      for (int i = 0; i < one.size(); i++) {
        assertSameBits(alone.get(i), row(one.get(i), b), "GRU result " + i + ", row " + b);
      }
    }
    long shared = ComputePool.sharedCalls();
    for (int threads = 2; threads <= 3; threads++) {
      List<Tensor> more = on(threads, () -> gru(axs, ah, h, up));
      for (int i = 0; i < one.size(); i++) {
        assertSameBits(one.get(i), more.get(i), "GRU result " + i + " on " + threads + " threads");
      }
    }
    assertTrue(ComputePool.sharedCalls() > shared, "the GRU step was never shared");
  }

  @Example
  void aSmallBatchStaysOnTheCallingThreadAndALargeOneDoesNot() {
    Random random = new Random(5);
    // W1 at hidden 128: 32 x 128 = 4,096 hidden units, under twice a forward chunk's.
    Tensor a = Tensor.randomNormal(Shape.of(32, 4 * 128), 0, 1, random);
    Tensor c = Tensor.randomNormal(Shape.of(32, 128), 0, 1, random);
    Tensor bigA = Tensor.randomNormal(Shape.of(32, 4 * 512), 0, 1, random);
    Tensor bigC = Tensor.randomNormal(Shape.of(32, 512), 0, 1, random);

    long small = on(2, () -> sharedCallsOf(() -> GateKernels.lstm(a, c)));
    long large = on(2, () -> sharedCallsOf(() -> GateKernels.lstm(bigA, bigC)));

    assertEquals(0, small, "an LSTM step of 4,096 hidden units was handed to another thread");
    assertEquals(1, large, "an LSTM step of 16,384 hidden units was not shared");
  }

  private static long sharedCallsOf(Supplier<Gates> work) {
    long before = ComputePool.sharedCalls();
    Gates unused = work.get();
    return ComputePool.sharedCalls() - before;
  }

  private static List<Tensor> lstm(Tensor a, Tensor c, Tensor dh, Tensor dc) {
    Gates gates = GateKernels.lstm(a, c);
    Tensor[] both = GateKernels.lstmBackward(dh, dc, c, gates);
    Tensor[] onlyH = GateKernels.lstmBackward(dh, null, c, gates);
    return List.of(
        gates.output(),
        gates.memory(),
        gates.activations(),
        gates.tanhMemory(),
        both[0],
        both[1],
        onlyH[0],
        onlyH[1]);
  }

  private static List<Tensor> gru(Tensor axs, Tensor ah, Tensor h, Tensor up) {
    Gates step = GateKernels.gru(axs, 1, ah, h);
    Gates gates = GateKernels.gru(step.activations(), ah, h);
    Tensor[] backward = GateKernels.gruBackward(up, ah, h, gates);
    return List.of(
        step.output(), step.activations(), gates.output(), backward[0], backward[1], backward[2]);
  }

  /** Row {@code b} of a matrix, as a matrix of one row of the same dtype. */
  private static Tensor row(Tensor matrix, int b) {
    return Layout.slice(matrix, 0, b, b + 1);
  }

  /** Hidden units enough for a batch's backward kernels to be cut into at least two chunks. */
  private static int hiddenAboveThreshold(int batch) {
    return (int) (2 * GateKernels.BACKWARD_UNITS_PER_CHUNK / batch) + 1;
  }
}
