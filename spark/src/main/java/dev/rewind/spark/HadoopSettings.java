package dev.rewind.spark;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The driver's Hadoop configuration (Spark's {@code spark.hadoop.*} settings included), carried to
 * the executors so that they reach shared paths as the driver does. Hadoop's {@code Configuration}
 * is not {@code Serializable}; it is written as its own {@code Writable} form.
 */
final class HadoopSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  private transient Configuration configuration;

  HadoopSettings(Configuration configuration) {
    this.configuration = configuration;
  }

  /** The file system of {@code path}. */
  FileSystem fileSystem(Path path) throws IOException {
    URI uri = path.toUri();
    return FileSystem.get(uri, configuration);
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    configuration.write(out);
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    configuration = new Configuration(false);
    configuration.readFields(in);
  }
}
