package dev.rewind.bench;

import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.MatMul;
import dev.rewind.autodiff.tensor.Parallelism;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.RecurrentCell;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Rewind's side of {@code bench/vs-pytorch}: one case per JVM, so that the JVM's peak resident set
 * ({@code VmHWM}) belongs to that case alone. The case is named by the arguments:
 *
 * <ul>
 *   <li>{@code w1 elman|lstm|gru HIDDEN}: a character language model, vocabulary 65 one-hot, batch
 *       32, 64 steps, softmax cross-entropy at every step, forward + backward + SGD step;
 *   <li>{@code w2 T [elman|lstm [plain|checkpointed]]}: the same with a cell of 128 units (Elman
 *       unless named), batch 16 and {@code T} steps, unrolled plain or with checkpointed BPTT and
 *       the readout and loss inside the segments;
 *   <li>{@code w3 N}: one {@code [N, N] x [N, N]} product with Rewind's kernel;
 *   <li>{@code w4}: a chain of 100,000 scalar ops ({@code x = x * c + d}) recorded, then
 *       differentiated;
 *   <li>{@code w5 gru|mgu HIDDEN}: the w1 model with a cell written as a user would, {@link
 *       RecurrentCell#of} over generic ops ({@link UserCells}).
 * </ul>
 *
 * <p>Each case runs in the dtype {@code -Drewind.bench.dtype} names ({@code f64}, the default, or
 * {@code f32}): the model is drawn in float64 and converted, its readout with {@link
 * dev.rewind.layers.Layer#to} and its cell's parameters with {@link
 * dev.rewind.autodiff.tape.Parameter#convertTo} (a cell written with {@link RecurrentCell#of} is
 * not a layer), and the inputs with {@link Tensor#to}, so that float32 runs end to end and its
 * products go to single-precision BLAS. W4, a chain of scalar ops whose cost is the tape's and not
 * arithmetic's, runs in float64 only.
 *
 * <p>It then reads commands on stdin, one a line, and answers each with one JSON line on stdout, so
 * the driver can alternate it with PyTorch's worker: {@code warmup SECONDS [CAP [TOLERANCE]]}
 * repeats the work for at least that long and until it runs at a steady rate; {@code run N} times N
 * repetitions; {@code rss} reports the resident set; {@code heap SECONDS} measures the peak of live
 * data on the heap while the work repeats, untimed; {@code forward-heap N} (w1, w2, w5) the live
 * heap right after the forward pass of each of N steps, the largest; {@code quit} ends. The {@code
 * work} of one repetition is in tokens (w1, w2, w5), floating-point operations (w3) or ops (w4).
 * The ready line gives the dtype, the threads Rewind's kernels run on ({@code
 * Parallelism.threads()}, set by {@code -Drewind.threads=N}), those native BLAS runs each call on
 * ({@code OPENBLAS_NUM_THREADS}) and the rows of a data-parallel shard ({@code
 * -Drewind.bench.shardRows=R}, W1 and W5; 0: one tape per batch).
 */
public final class SideBySide {
  static final int VOCABULARY = 65;
  static final int W1_BATCH = 32;
  static final int W1_STEPS = 64;
  static final int W2_HIDDEN = 128;
  static final int W2_BATCH = 16;
  static final int W4_OPS = 100_000;
  static final double LEARNING_RATE = 0.1;

  static final double MB = 1048576.0;

  /** The dtype every case runs in: {@code -Drewind.bench.dtype=f32|f64}, float64 by default. */
  static final DType DTYPE = DType.parse(System.getProperty("rewind.bench.dtype", "f64"));

  /** The last result of the work, kept where the JIT cannot prove it unused. */
  private static volatile Object sink;

  private SideBySide() {}

  /** One repetition of a case; returns something so that the JIT cannot drop the work. */
  interface Work {
    Object once();
  }

  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      System.err.println(
          "usage: SideBySide w1 elman|lstm|gru HIDDEN"
              + " | w2 T [elman|lstm [plain|checkpointed]] | w3 N | w4 | w5 gru|mgu HIDDEN");
      System.exit(2);
    }
    Work work;
    double units;
    switch (args[0]) {
      case "w1" -> {
        int hidden = Integer.parseInt(args[2]);
        work = LanguageModel.builtIn(args[1], hidden, W1_BATCH, W1_STEPS, false, DTYPE);
        units = (double) W1_BATCH * W1_STEPS;
      }
      case "w5" -> {
        int hidden = Integer.parseInt(args[2]);
        work =
            new LanguageModel(
                random -> UserCells.named(args[1], VOCABULARY, hidden, random),
                hidden,
                W1_BATCH,
                W1_STEPS,
                false,
                DTYPE);
        units = (double) W1_BATCH * W1_STEPS;
      }
      case "w2" -> {
        int steps = Integer.parseInt(args[1]);
        String cell = args.length > 2 ? args[2] : "elman";
        boolean checkpointed =
            switch (args.length > 3 ? args[3] : "plain") {
              case "plain" -> false;
              case "checkpointed" -> true;
              default -> throw new IllegalArgumentException("w2: unknown unroll " + args[3]);
            };
        work = LanguageModel.builtIn(cell, W2_HIDDEN, W2_BATCH, steps, checkpointed, DTYPE);
        units = (double) W2_BATCH * steps;
      }
      case "w3" -> {
        int n = Integer.parseInt(args[1]);
        work = matmul(n, DTYPE);
        units = 2.0 * n * n * n;
      }
      case "w4" -> {
        if (DTYPE != DType.FLOAT64) {
          throw new IllegalArgumentException(
              "w4: the chain of scalar ops runs in float64 only, not " + DTYPE);
        }
        work = chain();
        units = W4_OPS;
      }
      default -> throw new IllegalArgumentException("unknown workload " + args[0]);
    }
    System.out.printf(
        Locale.ROOT,
        "{\"ready\": true, \"work\": %.1f, \"rss_mb\": %.1f, \"heap_mb\": %.1f, \"dtype\":"
            + " \"%s\", \"threads\": %s, \"blas_threads\": %s, \"shard_rows\": %s}%n",
        units,
        memory("VmRSS"),
        LiveHeap.now(),
        DTYPE,
        Parallelism.threads(),
        blasThreads(),
        Integer.getInteger("rewind.bench.shardRows", 0));
    System.out.flush();
    serve(work, units);
  }

  private static void serve(Work work, double units) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] command = line.trim().split("\\s+");
      switch (command[0]) {
        case "warmup" -> {
          double minimum = Double.parseDouble(command[1]);
          double cap = command.length > 2 ? Double.parseDouble(command[2]) : 20.0;
          double tolerance = command.length > 3 ? Double.parseDouble(command[3]) : 0.05;
          System.out.println(warmUp(work, units, minimum, cap, tolerance));
        }
        case "run" -> {
          int repetitions = Integer.parseInt(command[1]);
          long start = System.nanoTime();
          for (int i = 0; i < repetitions; i++) {
            sink = work.once();
          }
          double elapsed = (System.nanoTime() - start) / 1e9;
          System.out.printf(
              Locale.ROOT,
              "{\"repetitions\": %d, \"seconds\": %.6f, \"work\": %.1f}%n",
              repetitions,
              elapsed,
              units * repetitions);
        }
        case "rss" ->
            System.out.printf(
                Locale.ROOT,
                "{\"peak_rss_mb\": %.1f, \"rss_mb\": %.1f, \"heap_max_mb\": %.1f}%n",
                memory("VmHWM"),
                memory("VmRSS"),
                Runtime.getRuntime().maxMemory() / MB);
        case "heap" -> System.out.println(LiveHeap.peak(work, Double.parseDouble(command[1])));
        case "forward-heap" -> System.out.println(afterForward(work, Integer.parseInt(command[1])));
        case "quit" -> {
          System.out.flush();
          if (sink == null) {
            System.err.println("no work was run");
          }
          return;
        }
        default -> System.out.println("{\"error\": \"unknown command\"}");
      }
      System.out.flush();
    }
  }

  /**
   * Repeats the work for at least {@code minimum} seconds, then until the rates of two consecutive
   * windows of about one second agree within {@code tolerance} (relative to the larger) and neither
   * is more than {@code tolerance} below the fastest window so far, or until {@code cap} seconds
   * have passed. C2 keeps compiling for several seconds after the first repetitions, so a fixed
   * warm-up would let the timed repetitions rise as they run; and a case can sit on a plateau for a
   * few windows before its last compilation lands, which the fastest window gives away.
   */
  private static String warmUp(
      Work work, double units, double minimum, double cap, double tolerance) {
    long start = System.nanoTime();
    List<String> rates = new ArrayList<>();
    double previous = Double.NaN;
    double best = 0;
    int repetitions = 0;
    int windowRepetitions;
    double windowSeconds;
    boolean settled;
    double elapsed;
    do {
      long windowStart = System.nanoTime();
      windowRepetitions = 0;
      do {
        sink = work.once();
        windowRepetitions++;
      } while (System.nanoTime() - windowStart < 1e9);
      windowSeconds = (System.nanoTime() - windowStart) / 1e9;
      repetitions += windowRepetitions;
      double rate = units * windowRepetitions / windowSeconds;
      rates.add(String.format(Locale.ROOT, "%.3f", rate));
      best = Math.max(best, rate);
      settled =
          Math.abs(rate - previous) <= tolerance * Math.max(rate, previous)
              && Math.min(rate, previous) >= (1 - tolerance) * best;
      previous = rate;
      elapsed = (System.nanoTime() - start) / 1e9;
    } while (!(settled && elapsed >= minimum) && elapsed < cap);
    return String.format(
        Locale.ROOT,
        "{\"repetitions\": %d, \"seconds\": %.6f, \"work\": %.1f, \"window_repetitions\": %d,"
            + " \"window_seconds\": %.6f, \"settled\": %b, \"window_rates\": [%s]}",
        repetitions,
        elapsed,
        units * repetitions,
        windowRepetitions,
        windowSeconds,
        settled,
        String.join(", ", rates));
  }

  /** The largest live heap right after the forward pass over {@code steps} training steps. */
  private static String afterForward(Work work, int steps) {
    if (!(work instanceof LanguageModel model)) {
      return "{\"error\": \"forward-heap needs a language model (w1, w2, w5)\"}";
    }
    double largest = 0;
    for (int i = 0; i < steps; i++) {
      largest = Math.max(largest, model.liveHeapAfterForward());
    }
    return String.format(Locale.ROOT, "{\"forward_heap_mb\": %.1f, \"steps\": %d}", largest, steps);
  }

  /** One product in {@code dtype}: float32 runs on single-precision BLAS (sgemm). */
  static Work matmul(int n, DType dtype) {
    Random random = new Random(42);
    Tensor left = Tensor.randomNormal(Shape.of(n, n), 0.0, 1.0, random).to(dtype);
    Tensor right = Tensor.randomNormal(Shape.of(n, n), 0.0, 1.0, random).to(dtype);
    return () -> MatMul.matmul(left, right);
  }

  /** The chain of {@code RecordingBenchmark.forwardAndBackward}: half products, half sums. */
  static Work chain() {
    Var x = Var.scalar(0.5);
    Var scale = Var.scalar(0.999);
    Var shift = Var.scalar(0.0005);
    return () -> {
      try (Tape tape = Tape.record()) {
        Var y = x;
        for (int i = 0; i < W4_OPS / 2; i++) {
          y = y.mul(scale).add(shift);
        }
        return tape.gradient(y, x);
      }
    };
  }

  /**
   * The thread count native BLAS runs matrix products with, or null if the driver did not set it.
   */
  static Integer blasThreads() {
    String threads = System.getenv("OPENBLAS_NUM_THREADS");
    return threads == null ? null : Integer.valueOf(threads.trim());
  }

  /** A field of {@code /proc/self/status} in MB, or -1 where there is none. */
  static double memory(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field + ":")) {
          String[] parts = line.split("\\s+");
          return Long.parseLong(parts[1]) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
