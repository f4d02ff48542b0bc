package dev.rewind.bench;

import dev.rewind.autodiff.tensor.MatMul;
import dev.rewind.autodiff.tensor.Parallelism;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.Collection;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The square matrix product {@code [n, n] x [n, n]} in {@code double}, with Rewind's kernels on
 * {@code threads} threads (1 unless {@code -p threads=2}), timed per product. {@link #main} runs it
 * and prints the rate as GFLOP/s, counting {@code 2 n^3} floating-point operations (one multiply
 * and one add per term) per product.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MatMulBenchmark {
  @Param({"64", "128", "256", "512"})
  public int n;

  @Param({"1"})
  public int threads;

  private Tensor left;
  private Tensor right;

  @Setup
  public void createOperands() {
    Parallelism.setThreads(threads);
    Random random = new Random(42);
    left = Tensor.randomNormal(Shape.of(n, n), 0.0, 1.0, random);
    right = Tensor.randomNormal(Shape.of(n, n), 0.0, 1.0, random);
  }

  @Benchmark
  public Tensor matmul() {
    return MatMul.matmul(left, right);
  }

  /**
   * Runs this benchmark and prints {@code n, microseconds per product, GFLOP/s}. Takes JMH's usual
   * command-line options, such as {@code -f 1 -wi 3 -i 5} or {@code -p n=512}.
   */
  public static void main(String[] args) throws RunnerException, CommandLineOptionException {
    Options options =
        new OptionsBuilder()
            .parent(new CommandLineOptions(args))
            .include(MatMulBenchmark.class.getName() + ".matmul")
            .build();
    Collection<RunResult> results = new Runner(options).run();
    System.out.println();
    System.out.println("n, us/op, GFLOP/s");
    for (RunResult result : results) {
      int n = Integer.parseInt(result.getParams().getParam("n"));
      Result<?> primary = result.getPrimaryResult();
      double microseconds = primary.getScore();
      System.out.printf(
          Locale.ROOT, "%d, %.1f, %.2f%n", n, microseconds, gigaflops(n, microseconds));
    }
  }

  /** The rate of one {@code n x n} product taking {@code microseconds}. */
  static double gigaflops(int n, double microseconds) {
    double flops = 2.0 * n * n * n;
    return flops / (microseconds * 1e3);
  }
}
