package dev.rewind.bench;

import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of the tape itself: a chain of {@value #OPS} scalar ops ({@code x = x * c + d},
 * repeated), so that the arithmetic is negligible and what is left is creating, recording and
 * differentiating each op. Scores are per op of the forward chain ({@link OperationsPerInvocation}
 * divides by {@value #OPS}), and include the garbage collections the chain causes: a recorded chain
 * keeps about 20 MB alive until its tape closes. Add {@code -prof gc} to see how much.
 *
 * <ul>
 *   <li>{@link #forwardWithoutTape}: the chain with no tape open, the floor;
 *   <li>{@link #forwardRecorded}: the chain recorded on an open tape, no gradient;
 *   <li>{@link #forwardAndBackward}: recorded, then {@code tape.gradient(y, x)}.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class RecordingBenchmark {
  /** Ops in the chain: half multiplications, half additions. */
  static final int OPS = 100_000;

  private Var x;
  private Var scale;
  private Var shift;

  @Setup
  public void createLeaves() {
    x = Var.scalar(0.5);
    // A contraction towards 0.5: the chain's values and gradients stay finite at any length.
    scale = Var.scalar(0.999);
    shift = Var.scalar(0.0005);
  }

  private Var chain() {
    Var y = x;
    for (int i = 0; i < OPS / 2; i++) {
      y = y.mul(scale).add(shift);
    }
    return y;
  }

  @Benchmark
  @OperationsPerInvocation(OPS)
  public Var forwardWithoutTape() {
    return chain();
  }

  @Benchmark
  @OperationsPerInvocation(OPS)
  @SuppressWarnings("try") // The open tape records the chain; the body need not name it.
  public Var forwardRecorded() {
    try (Tape tape = Tape.record()) {
      return chain();
    }
  }

  @Benchmark
  @OperationsPerInvocation(OPS)
  public Gradients forwardAndBackward() {
    try (Tape tape = Tape.record()) {
      Var y = chain();
      return tape.gradient(y, x);
    }
  }
}
