package dev.rewind.examples.checkpoint;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a file so that a crash at any byte leaves either the old file or the new one, whole:
 *
 * <pre>
 * write a temporary file in the target's folder  →  flush  →  fsync
 *   →  rename it over the target (ATOMIC_MOVE)  →  fsync the folder
 * </pre>
 *
 * <p>The target is never opened for writing, so any failure before the rename leaves it as it was;
 * the temporary file is then deleted. The rename must be atomic: where the file system cannot
 * rename atomically, the write fails rather than risk a half-replaced file.
 */
final class AtomicWrite {
  private static final int BUFFER_BYTES = 1 << 16;

  private AtomicWrite() {}

  /** What to write: the whole content, to a stream that this class flushes and syncs. */
  @FunctionalInterface
  interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /** The prefix of the temporary files this class makes for {@code target}. */
  static String temporaryPrefix(Path target) {
    return "." + target.getFileName() + ".";
  }

  static void write(Path target, Content content, Faults faults) throws CheckpointException {
    Path folder = target.toAbsolutePath().getParent();
    Path temporary;
    try {
      faults.beforeCreate(folder);
      temporary = Files.createTempFile(folder, temporaryPrefix(target), ".tmp");
    } catch (IOException e) {
      throw new CheckpointException(
          target,
          "cannot create a temporary file in " + folder + " (" + e + "); nothing was changed",
          e);
    }
    boolean moved = false;
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        // NOTE: the stream is not closed: closing it would close the channel before the fsync.
        OutputStream out =
            new BufferedOutputStream(faults.wrap(Channels.newOutputStream(channel)), BUFFER_BYTES);
        content.writeTo(out);
        out.flush();
        faults.beforeForce(temporary);
        channel.force(true);
      }
      faults.beforeMove(temporary, target);
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
      moved = true;
    } catch (IOException e) {
      throw new CheckpointException(
          target, "could not be written (" + e + "); the previous file is untouched", e);
    } finally {
      if (!moved) {
        deleteQuietly(temporary);
      }
    }
    syncFolder(folder);
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // NOTE: a leftover temporary file is harmless: it is never read, and the next save removes
      // it.
    }
  }

  /** Forces the rename itself to disk, where the platform can open a folder. */
  private static void syncFolder(Path folder) {
    try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // NOTE: some platforms (Windows) cannot open a folder; the file itself was forced already.
    }
  }
}
