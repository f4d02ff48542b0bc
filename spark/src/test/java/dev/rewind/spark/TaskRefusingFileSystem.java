package dev.rewind.spark;

import java.io.IOException;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;
import org.apache.spark.TaskContext;

/**
 * The local disk under the scheme {@code refusing:}, where the driver may create files and a Spark
 * task may not: a shared folder that the executors cannot write, in local mode.
 */
public final class TaskRefusingFileSystem extends RawLocalFileSystem {
  static final String SCHEME = "refusing";

  @Override
  public URI getUri() {
    return URI.create(SCHEME + ":///");
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public FSDataOutputStream create(
      Path file,
      boolean overwrite,
      int bufferSize,
      short replication,
      long blockSize,
      Progressable progress)
      throws IOException {
    refuseInTasks(file);
    return super.create(file, overwrite, bufferSize, replication, blockSize, progress);
  }

  @Override
  public FSDataOutputStream create(
      Path file,
      FsPermission permission,
      boolean overwrite,
      int bufferSize,
      short replication,
      long blockSize,
      Progressable progress)
      throws IOException {
    refuseInTasks(file);
    return super.create(file, permission, overwrite, bufferSize, replication, blockSize, progress);
  }

  private static void refuseInTasks(Path file) throws AccessDeniedException {
    if (TaskContext.get() != null) {
      throw new AccessDeniedException(file.toString(), null, "executors may not write here");
    }
  }
}
