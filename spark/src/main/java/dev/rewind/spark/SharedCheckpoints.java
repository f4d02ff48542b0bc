package dev.rewind.spark;

import dev.rewind.autodiff.io.Safetensors;
import dev.rewind.train.checkpoint.Checkpoint;
import dev.rewind.train.checkpoint.CheckpointFolder;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A run's checkpoints in a shared folder that any executor reaches through Hadoop's file system
 * (HDFS, S3, a network mount, a local path in local mode), mirrored from the {@link
 * CheckpointFolder} the run writes on the executor's own disk: every checkpoint the run saves is
 * copied up as soon as it is written, under a temporary name and then renamed, and the shared
 * folder keeps the same checkpoints as the local one. A retried task copies them down and resumes.
 */
final class SharedCheckpoints implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern CHECKPOINT = Pattern.compile("step-\\d+\\.ckpt");

  private final String folder;
  private final HadoopSettings settings;

  SharedCheckpoints(String folder, HadoopSettings settings) {
    this.folder = folder;
    this.settings = settings;
  }

  /** Copies the shared checkpoints into the empty local folder {@code local}. */
  void download(java.nio.file.Path local) throws IOException {
    Path shared = new Path(folder);
    FileSystem fs = settings.fileSystem(shared);
    if (!fs.exists(shared)) {
      return;
    }
    for (FileStatus file : fs.listStatus(shared)) {
      String name = file.getPath().getName();
      if (file.isFile() && CHECKPOINT.matcher(name).matches()) {
        fs.copyToLocalFile(false, file.getPath(), new Path(local.resolve(name).toUri()), true);
      }
    }
  }

  /**
   * The attribute {@code key} of the newest shared checkpoint, read on the driver before a sweep
   * starts; empty if there is none, or if it cannot be read (a damaged newest checkpoint is passed
   * over at resume, where the same check is made again).
   */
  Optional<String> newestAttribute(String key) {
    try {
      Path shared = new Path(folder);
      FileSystem fs = settings.fileSystem(shared);
      if (!fs.exists(shared)) {
        return Optional.empty();
      }
      Optional<FileStatus> newest =
          Arrays.stream(fs.listStatus(shared))
              .filter(
                  file -> file.isFile() && CHECKPOINT.matcher(file.getPath().getName()).matches())
              .max(Comparator.comparingLong(file -> step(file.getPath().getName())));
      if (newest.isEmpty()) {
        return Optional.empty();
      }
      java.nio.file.Path copy = Files.createTempFile("rewind-sweep-", ".ckpt");
      try {
        fs.copyToLocalFile(false, newest.get().getPath(), new Path(copy.toUri()), true);
        return Optional.ofNullable(
            Safetensors.readHeader(copy).metadata().get(Checkpoint.ATTRIBUTE_PREFIX + key));
      } finally {
        Files.deleteIfExists(copy);
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static long step(String name) {
    return Long.parseLong(name.substring("step-".length(), name.length() - ".ckpt".length()));
  }

  /**
   * Copies {@code written} up, then removes the shared checkpoints that the local folder no longer
   * keeps (it keeps the newest few), so that both hold the same ones.
   */
  void upload(java.nio.file.Path written, List<java.nio.file.Path> kept) throws IOException {
    Path shared = new Path(folder);
    FileSystem fs = settings.fileSystem(shared);
    fs.mkdirs(shared);
    String name = written.getFileName().toString();
    Path partial = new Path(shared, "." + name + ".partial");
    Path target = new Path(shared, name);
    fs.copyFromLocalFile(false, true, new Path(written.toUri()), partial);
    if (fs.exists(target)) {
      fs.delete(target, false); // the same step saved again: the new copy replaces it
    }
    if (!fs.rename(partial, target)) {
      throw new IOException("could not rename " + partial + " to " + target);
    }
    Set<String> keep = new HashSet<>();
    kept.forEach(file -> keep.add(file.getFileName().toString()));
    for (FileStatus file : fs.listStatus(shared)) {
      String other = file.getPath().getName();
      if (CHECKPOINT.matcher(other).matches() && !keep.contains(other)) {
        fs.delete(file.getPath(), false);
      }
    }
  }
}
