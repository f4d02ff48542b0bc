package dev.rewind.spark;

import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;

/** The check that a sweep's checkpoint folder can be written, before any run trains. */
final class SweepFolder {
  private SweepFolder() {}

  /**
   * Creates {@code folder} if it is missing, and writes and deletes a probe file in it from the
   * driver and from a task on each of Spark's default-parallelism slots.
   *
   * @throws IllegalArgumentException naming the folder, where it failed and why
   */
  static void requireWritable(JavaSparkContext spark, String folder, HadoopSettings settings) {
    String driver = probe(folder, settings);
    if (driver != null) {
      throw new IllegalArgumentException(
          "sweep: checkpoint folder " + folder + " cannot be written from the driver: " + driver);
    }
    int tasks = spark.defaultParallelism();
    List<String> failures =
        spark
            .parallelize(IntStream.range(0, tasks).boxed().toList(), tasks)
            .map(slot -> probe(folder, settings))
            .filter(failure -> failure != null)
            .map(failure -> "task " + TaskContext.getPartitionId() + ": " + failure)
            .collect();
    if (!failures.isEmpty()) {
      throw new IllegalArgumentException(
          "sweep: checkpoint folder "
              + folder
              + " cannot be written from the executors: "
              + failures.get(0));
    }
  }

  /** Null if a probe file could be written and deleted here, else what went wrong. */
  private static String probe(String folder, HadoopSettings settings) {
    Path root = new Path(folder);
    Path probe = new Path(root, ".probe-" + UUID.randomUUID());
    try {
      FileSystem fs = settings.fileSystem(root);
      if (fs.exists(root) && !fs.getFileStatus(root).isDirectory()) {
        return "it is a file, not a folder";
      }
      if (!fs.mkdirs(root)) {
        return "it could not be created";
      }
      fs.create(probe, false).close();
      fs.delete(probe, false);
      return null;
    } catch (IOException | RuntimeException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }
}
