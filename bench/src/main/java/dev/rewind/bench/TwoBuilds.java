package dev.rewind.bench;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;

/**
 * Two builds of Rewind timed in one JVM, for a change too small for the machine's noise between two
 * runs: each build's {@code benchmarks.jar} in a class loader of its own (so the JIT compiles each
 * apart), one {@link LanguageModel} from each, and blocks of training steps taken in turn, the
 * order swapped every block. Both builds then share whatever the machine does within seconds, and
 * each pair of blocks gives a paired ratio. It prints the median time per step of each build and
 * the median and quartiles of the paired ratios, B's time over A's: below 1, B is faster.
 *
 * <pre>
 * java -Drewind.threads=1 -cp bench/target/benchmarks.jar dev.rewind.bench.TwoBuilds \
 *     A.jar B.jar w1|w2|w5 CELL HIDDEN|STEPS f32|f64 [BLOCKS [STEPS_PER_BLOCK]]
 * </pre>
 *
 * <p>{@code w1} is W1's model with a cell of HIDDEN units; {@code w2} W2's (hidden 128, batch 16)
 * over STEPS steps, unrolled plain; {@code w5} W1's model with a user's cell of HIDDEN units,
 * {@code gru} or {@code mgu} ({@link UserCells}). Run it in both orders (A B, then B A): two copies
 * of one build gave ratios of 0.938–1.062 between quartiles, so differences under about 3% are not
 * resolved.
 */
public final class TwoBuilds {
  private TwoBuilds() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 6) {
      System.err.println(
          "usage: TwoBuilds A.jar B.jar w1|w2|w5 CELL HIDDEN|STEPS f32|f64 [BLOCKS"
              + " [STEPS_PER_BLOCK]]");
      System.exit(2);
    }
    int blocks = args.length > 6 ? Integer.parseInt(args[6]) : 60;
    int perBlock = args.length > 7 ? Integer.parseInt(args[7]) : 3;
    Build[] builds = {
      Build.load(Path.of(args[0]), args[2], args[3], Integer.parseInt(args[4]), args[5]),
      Build.load(Path.of(args[1]), args[2], args[3], Integer.parseInt(args[4]), args[5])
    };
    for (int round = 0; round < 3; round++) {
      for (Build build : builds) {
        build.steps(3 * perBlock);
      }
    }
    double[][] seconds = new double[2][blocks];
    for (int block = 0; block < blocks; block++) {
      for (int turn = 0; turn < 2; turn++) {
        int which = block % 2 == 0 ? turn : 1 - turn;
        seconds[which][block] = builds[which].steps(perBlock) / perBlock;
      }
    }
    List<Double> ratios = new ArrayList<>();
    for (int block = 0; block < blocks; block++) {
      ratios.add(seconds[1][block] / seconds[0][block]);
    }
    ratios.sort(null);
    System.out.printf(
        Locale.ROOT,
        "A %s: %.5f s a step; B %s: %.5f s a step (medians of %d blocks of %d)%n"
            + "B / A paired: median %.3f, quartiles %.3f-%.3f%n",
        args[0],
        median(seconds[0]),
        args[1],
        median(seconds[1]),
        blocks,
        perBlock,
        ratios.get(blocks / 2),
        ratios.get(blocks / 4),
        ratios.get(3 * blocks / 4));
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** One build's model, loaded from its jar by a class loader of its own. */
  private record Build(Object model, Method once) {
    static Build load(Path jar, String workload, String cell, int size, String dtype)
        throws Exception {
      ClassLoader loader =
          new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
      Class<?> dtypes = loader.loadClass("dev.rewind.autodiff.tensor.DType");
      Object parsed = dtypes.getMethod("parse", String.class).invoke(null, dtype);
      Class<?> models = loader.loadClass(LanguageModel.class.getName());
      Method builtIn =
          models.getDeclaredMethod(
              "builtIn", String.class, int.class, int.class, int.class, boolean.class, dtypes);
      builtIn.setAccessible(true);
      Object model =
          switch (workload) {
            case "w1" ->
                builtIn.invoke(
                    null, cell, size, SideBySide.W1_BATCH, SideBySide.W1_STEPS, false, parsed);
            case "w2" ->
                builtIn.invoke(
                    null, cell, SideBySide.W2_HIDDEN, SideBySide.W2_BATCH, size, false, parsed);
            case "w5" -> userCellModel(loader, models, dtypes, cell, size, parsed);
            default ->
                throw new IllegalArgumentException("TwoBuilds: unknown workload " + workload);
          };
      Method once = models.getDeclaredMethod("once");
      once.setAccessible(true);
      return new Build(model, once);
    }

    /** W5's model around the build's own {@link UserCells#named} cell. */
    private static Object userCellModel(
        ClassLoader loader, Class<?> models, Class<?> dtypes, String cell, int size, Object dtype)
        throws Exception {
      Method named =
          loader
              .loadClass(UserCells.class.getName())
              .getDeclaredMethod("named", String.class, int.class, int.class, Random.class);
      named.setAccessible(true);
      Function<Random, Object> cellFactory =
          random -> {
            try {
              return named.invoke(null, cell, SideBySide.VOCABULARY, size, random);
            } catch (ReflectiveOperationException e) {
              throw new IllegalStateException(e);
            }
          };
      Constructor<?> model =
          models.getDeclaredConstructor(
              Function.class, int.class, int.class, int.class, boolean.class, dtypes);
      model.setAccessible(true);
      return model.newInstance(
          cellFactory, size, SideBySide.W1_BATCH, SideBySide.W1_STEPS, false, dtype);
    }

    /** Runs {@code count} training steps; returns the seconds they took. */
    double steps(int count) throws Exception {
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        once.invoke(model);
      }
      return (System.nanoTime() - start) / 1e9;
    }
  }
}
