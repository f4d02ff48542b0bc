package dev.rewind.spark.demo;

import com.google.common.collect.ImmutableList;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.datasets.text.Corpus;
import dev.rewind.datasets.text.DefaultCorpus;
import dev.rewind.datasets.text.Vocabulary;
import dev.rewind.layers.Layer;
import dev.rewind.optim.Optimizer;
import dev.rewind.optim.ParameterGradients;
import dev.rewind.optim.Rprop;
import dev.rewind.optim.RpropVariant;
import dev.rewind.spark.DataParallel;
import dev.rewind.spark.ShardGradients;
import dev.rewind.spark.SharedFiles;
import dev.rewind.spark.Sweep;
import dev.rewind.spark.SweepTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The Spark demonstration: a sweep of six configurations, and a data-parallel run of a user's own
 * cell, on the built-in corpus or a text of yours. Under {@code spark-submit} it runs on the
 * cluster's master; run directly ({@code ./rewind spark …}), in local mode on two threads.
 *
 * <pre>
 *   sweep          [--out DIR] [--dataset PATH] [--checkpoints PATH] [--steps N] [--master URL]
 *   data-parallel  [--dataset PATH] [--cell mgu] [--steps N] [--partitions P] [--shard-size S]
 *                  [--master URL]
 * </pre>
 */
public final class SparkDemo {
  private static final String USAGE =
      """
      usage: sweep         [--out DIR] [--dataset PATH] [--checkpoints PATH] [--steps N]
                           [--master URL]
             data-parallel [--dataset PATH] [--cell lstm|gru|elman|mgu] [--steps N]
                           [--partitions P] [--shard-size S] [--master URL]""";

  private SparkDemo() {}

  public static void main(String[] args) throws IOException {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.println(USAGE);
      return;
    }
    DemoOptions options;
    try {
      options = DemoOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("spark: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    try (JavaSparkContext spark = start(options)) {
      if (options.command().equals("sweep")) {
        sweep(spark, options);
      } else {
        dataParallel(spark, options);
      }
    } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
      // Bad input, refused before anything trained: the message says what and where.
      System.err.println("spark: " + e.getMessage());
      System.exit(1);
    }
  }

  private static JavaSparkContext start(DemoOptions options) {
    SparkConf conf = new SparkConf().setAppName("rewind-" + options.command());
    if (options.master() != null) {
      conf.setMaster(options.master());
    } else if (!conf.contains("spark.master")) {
      conf.setMaster("local[2]").set("spark.ui.enabled", "false"); // run directly, not submitted
    }
    JavaSparkContext spark = new JavaSparkContext(conf);
    spark.setLogLevel("WARN");
    return spark;
  }

  private static void sweep(JavaSparkContext spark, DemoOptions options) throws IOException {
    String dataset = options.dataset() != null ? options.dataset() : builtInCorpus(options.out());
    long steps = options.steps() != null ? options.steps() : 100;
    List<SweepConfig> configs =
        List.of(
            new SweepConfig("lstm", 32, 16, "adam", 0.01, 1, steps),
            new SweepConfig("gru", 32, 16, "adam", 0.01, 1, steps),
            new SweepConfig("gru", 32, 16, "adam", 0.01, 2, steps),
            new SweepConfig("elman", 32, 16, "adam", 0.01, 1, steps),
            new SweepConfig("mgu", 32, 16, "adam", 0.01, 1, steps),
            new SweepConfig("mgu", 32, 16, "rprop", 0.01, 1, steps));
    String checkpoints =
        options.checkpoints() != null
            ? options.checkpoints()
            : options.out().resolve("checkpoints").toString();
    System.out.printf(
        Locale.ROOT,
        "sweep: %d configurations, %d steps each, on %s; checkpoints in %s%n",
        configs.size(),
        steps,
        spark.master(),
        checkpoints);
    SweepTable<SweepConfig> table =
        Sweep.builder(new CorpusExperiment(16, 32, 25))
            .dataset(dataset)
            .checkpoints(checkpoints, 25)
            .build()
            .run(spark, configs);
    System.out.print(table.format());
  }

  /**
   * The built-in corpus as {@code out/corpus.txt}, for the executors to read: written once, and
   * never over a file that holds anything else.
   */
  private static String builtInCorpus(Path out) throws IOException {
    Path file = out.resolve("corpus.txt");
    String text = DefaultCorpus.corpus().text();
    if (Files.exists(file)) {
      if (!Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
        throw new IllegalArgumentException(
            file + " exists and is not the built-in corpus: pass --dataset, or another --out");
      }
      return file.toString();
    }
    Files.createDirectories(out);
    Path partial = Files.createTempFile(out, ".corpus", ".partial");
    Files.writeString(partial, text, StandardCharsets.UTF_8);
    Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return file.toString();
  }

  private static void dataParallel(JavaSparkContext spark, DemoOptions options) {
    Corpus corpus =
        options.dataset() != null
            ? Corpus.of(options.dataset(), SharedFiles.of(spark, options.dataset()).readString())
            : DefaultCorpus.corpus();
    Corpus text = corpus.slice(0, Math.min(corpus.length(), 16_000), corpus.name());
    Vocabulary vocabulary = Vocabulary.of(corpus);
    List<int[]> windows = WindowLoss.windows(text, vocabulary, 32);
    String cell = options.cell();
    int symbols = vocabulary.size();
    // The executors build the model with this factory; its weights are replaced by the driver's.
    Layer model = TextModel.create(cell, symbols, 16, 32, new Random(1));
    long steps = options.steps() != null ? options.steps() : 30;
    try (DataParallel<int[]> run =
        DataParallel.builder(
                spark,
                () -> TextModel.create(cell, symbols, 16, 32, new Random(1)),
                new WindowLoss())
            .sequences(windows)
            .shardSize(options.shardSize())
            .partitions(options.partitions())
            .build()) {
      System.out.printf(
          Locale.ROOT,
          "data-parallel: %s cell, %d windows of 32 characters in %d shards of %d, on %d partitions (%s)%n",
          cell,
          run.sequences(),
          run.shards(),
          options.shardSize(),
          run.partitions(),
          spark.master());
      Optimizer rprop = Rprop.builder(RpropVariant.IRPROP_PLUS, model.namedParameters()).build();
      run.fit(
          model,
          rprop,
          Math.toIntExact(steps),
          (step, loss) -> System.out.printf(Locale.ROOT, "step %3d  loss %.6f%n", step, loss));
      ParameterGradients distributed = run.gradient(model);
      ParameterGradients local =
          ShardGradients.compute(model, new WindowLoss(), windows, options.shardSize());
      double largest = largestDifference(model.parameters(), distributed, local);
      System.out.printf(
          Locale.ROOT,
          "gradient at the final weights, %d partitions against one machine: max |difference| %s%n",
          run.partitions(),
          largest == 0 ? "0 (bit for bit)" : Double.toString(largest));
    }
  }

  private static double largestDifference(
      ImmutableList<Parameter> parameters, ParameterGradients a, ParameterGradients b) {
    double largest = 0;
    for (Parameter parameter : parameters) {
      double[] x = a.tensor(parameter).toArray();
      double[] y = b.tensor(parameter).toArray();
      for (int i = 0; i < x.length; i++) {
        largest = Math.max(largest, Math.abs(x[i] - y[i]));
      }
    }
    return largest;
  }
}
