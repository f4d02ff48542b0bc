package dev.rewind.spark.demo;

import static com.google.common.base.Preconditions.checkArgument;

import java.nio.file.Path;

/**
 * The demonstration's command line: a command, then {@code --name value} options.
 *
 * @param command {@code sweep} or {@code data-parallel}
 * @param master Spark's master URL, or null for spark-submit's (local[2] when run directly)
 * @param out the sweep's folder: its copy of the built-in corpus, and its checkpoints unless given
 * @param checkpoints the sweep's shared checkpoint folder, or null for {@code out/checkpoints}
 * @param dataset a text every executor reads, or null for the built-in corpus
 * @param steps the steps to train, or null for the command's default
 * @param cell the data-parallel run's cell
 * @param partitions the data-parallel run's partitions
 * @param shardSize the data-parallel run's windows per shard
 */
record DemoOptions(
    String command,
    String master,
    Path out,
    String checkpoints,
    String dataset,
    Long steps,
    String cell,
    int partitions,
    int shardSize) {

  static DemoOptions parse(String[] args) {
    checkArgument(args.length >= 1, "no command: sweep or data-parallel");
    String command = args[0];
    checkArgument(
        command.equals("sweep") || command.equals("data-parallel"),
        "unknown command '%s': sweep or data-parallel",
        command);
    String master = null;
    Path out = Path.of("runs", "spark-sweep");
    String checkpoints = null;
    String dataset = null;
    Long steps = null;
    String cell = "mgu";
    int partitions = 2;
    int shardSize = 64;
    for (int i = 1; i < args.length; i += 2) {
      String name = args[i];
      checkArgument(i + 1 < args.length, "%s needs a value", name);
      String value = args[i + 1];
      switch (name) {
        case "--master" -> master = value;
        case "--out" -> out = Path.of(value);
        case "--checkpoints" -> checkpoints = value;
        case "--dataset" -> dataset = value;
        case "--steps" -> steps = positive(name, value);
        case "--cell" -> {
          checkArgument(
              TextModel.CELLS.contains(value),
              "--cell %s: choose one of %s",
              value,
              TextModel.CELLS);
          cell = value;
        }
        case "--partitions" -> partitions = Math.toIntExact(positive(name, value));
        case "--shard-size" -> shardSize = Math.toIntExact(positive(name, value));
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    return new DemoOptions(
        command, master, out, checkpoints, dataset, steps, cell, partitions, shardSize);
  }

  private static long positive(String name, String value) {
    long parsed;
    try {
      parsed = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " " + value + ": not a whole number", e);
    }
    checkArgument(parsed >= 1, "%s %s: must be positive", name, value);
    return parsed;
  }
}
