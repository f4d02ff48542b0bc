package dev.rewind.autodiff.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * Replaces a file so that a crash at any byte leaves either the old file or the new one, whole:
 *
 * <pre>
 * write a temporary file in the target's folder  →  flush  →  fsync
 *   →  rename it over the target (ATOMIC_MOVE)  →  fsync the folder
 * </pre>
 *
 * <p>The target is never opened for writing, so any failure before the rename leaves it as it was;
 * the temporary file is then deleted. Only that file is ever deleted: another writer's temporary
 * files are left alone. The rename must be atomic: where the file system cannot rename atomically,
 * the write fails rather than risk a half-replaced file. The new file gets the permissions any new
 * file gets under the user's umask (not the owner-only ones of {@link Files#createTempFile}).
 */
public final class AtomicWrite {
  private static final int BUFFER_BYTES = 1 << 16;
  private static final SecureRandom NAMES = new SecureRandom();

  private AtomicWrite() {}

  /** What to write: the whole content, to a stream that this class flushes and syncs. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /** The prefix of the temporary files this class makes for {@code target}. */
  public static String temporaryPrefix(Path target) {
    return "." + target.getFileName() + ".";
  }

  /**
   * Writes {@code content} to {@code target} atomically.
   *
   * @throws IOException naming {@code target} if it cannot be written; it is then as it was
   */
  public static void write(Path target, Content content) throws IOException {
    write(target, content, WriteFaults.NONE);
  }

  /** As {@link #write(Path, Content)}, failing where {@code faults} says: a seam for tests. */
  public static void write(Path target, Content content, WriteFaults faults) throws IOException {
    Path folder = target.toAbsolutePath().getParent();
    Path temporary;
    FileChannel channel;
    try {
      faults.beforeCreate(folder);
      temporary = createTemporary(folder, target);
      channel = FileChannel.open(temporary, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new IOException(
          target
              + ": cannot create a temporary file in "
              + folder
              + " ("
              + e
              + "); nothing was changed",
          e);
    }
    boolean moved = false;
    try {
      try (channel) {
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
      throw new IOException(
          target + ": could not be written (" + e + "); the previous file is untouched", e);
    } finally {
      if (!moved) {
        deleteQuietly(temporary);
      }
    }
    syncFolder(folder);
  }

  /**
   * A new empty file {@code .<target>.<random>.tmp} in {@code folder}, created without explicit
   * permissions so that the umask applies, as to any file the user's programs create.
   */
  private static Path createTemporary(Path folder, Path target) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Path temporary =
          folder.resolve(
              temporaryPrefix(target) + Long.toUnsignedString(NAMES.nextLong(), 36) + ".tmp");
      try {
        Files.newByteChannel(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)
            .close();
        return temporary;
      } catch (FileAlreadyExistsException e) {
        if (attempt >= 100) {
          throw e;
        }
      }
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // NOTE: a leftover temporary file is harmless: it is never read as the target.
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
