package dev.rewind.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A dataset that every executor reads, through Hadoop's file system: {@code hdfs://…}, {@code
 * s3a://…}, {@code file:/…} or a plain local path. It carries the driver's Hadoop settings.
 */
public final class SharedFiles implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String path;
  private final HadoopSettings settings;

  SharedFiles(String path, HadoopSettings settings) {
    this.path = path;
    this.settings = settings;
  }

  /** {@code path} as the driver and the executors of {@code spark} reach it. */
  public static SharedFiles of(JavaSparkContext spark, String path) {
    return new SharedFiles(path, new HadoopSettings(spark.hadoopConfiguration()));
  }

  /** The path, as given. */
  public String path() {
    return path;
  }

  /** Opens the dataset for reading. */
  public InputStream open() throws IOException {
    Path file = new Path(path);
    FileSystem fs = settings.fileSystem(file);
    return fs.open(file);
  }

  /**
   * The whole dataset as UTF-8 text.
   *
   * @throws UncheckedIOException naming the path if it cannot be read
   */
  public String readString() {
    try (InputStream in = open()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("dataset " + path + ": cannot be read: " + e.getMessage(), e);
    }
  }

  /**
   * Checks that the dataset is a file that can be opened and read, from here.
   *
   * @throws IllegalArgumentException naming the path and what is wrong
   */
  void requireReadable() {
    try {
      Path file = new Path(path);
      FileSystem fs = settings.fileSystem(file);
      if (!fs.exists(file)) {
        throw new IllegalArgumentException("sweep: dataset " + path + " does not exist");
      }
      if (!fs.getFileStatus(file).isFile()) {
        throw new IllegalArgumentException("sweep: dataset " + path + " is not a file");
      }
      try (InputStream in = fs.open(file)) {
        in.read();
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "sweep: dataset " + path + " cannot be read: " + e.getMessage(), e);
    }
  }
}
