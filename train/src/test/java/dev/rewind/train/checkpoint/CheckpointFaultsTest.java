package dev.rewind.train.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rewind.autodiff.io.HostileInputs;
import dev.rewind.autodiff.io.WriteFaults;
import dev.rewind.train.checkpoint.TinyTraining.Kind;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A write that fails at any point — the folder read-only, the disk full after any number of bytes,
 * the fsync or the rename failing, the process dying at any byte — raises a clear error and leaves
 * the previous checkpoint readable, byte for byte as it was.
 */
class CheckpointFaultsTest {
  @TempDir Path root;

  private TinyTraining run;
  private Path previous;
  private byte[] previousBytes;
  private TinyTraining.Fingerprint atPrevious;

  @BeforeEach
  void writeAPreviousCheckpointThenTrainOn() throws Exception {
    run = new TinyTraining(Kind.ADAM, 7, 2);
    run.train(2);
    try (CheckpointFolder checkpoints = CheckpointFolder.open(root, 3)) {
      previous = checkpoints.save(run.model, run.optimizer, run.random, run.progress());
    }
    previousBytes = Files.readAllBytes(previous);
    atPrevious = run.fingerprint();
    run.train(2);
  }

  @Test
  void aReadOnlyFolderIsAClearErrorAndChangesNothing() throws Exception {
    WriteFaults readOnly =
        new WriteFaults() {
          @Override
          public void beforeCreate(Path folder) throws IOException {
            throw new AccessDeniedException(folder.toString(), null, "Read-only file system");
          }
        };

    CheckpointException e = assertThrows(CheckpointException.class, () -> save(readOnly));

    assertTrue(
        e.getMessage()
            .startsWith(root.resolve("step-000004.ckpt") + ": cannot create a temporary file"),
        e.getMessage());
    assertTrue(e.getMessage().contains("Read-only file system"), e.getMessage());
    assertPreviousIntactAndAlone();
  }

  @Test
  void aRealReadOnlyFolderIsAClearErrorAndChangesNothing() throws Exception {
    assumeTrue(Files.getFileStore(root).supportsFileAttributeView("posix"), "POSIX permissions");
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      assumeFalse(canCreateFileIn(root), "permissions are not enforced for this user (root)");
      CheckpointException e = assertThrows(CheckpointException.class, () -> save(WriteFaults.NONE));
      assertTrue(e.getMessage().contains("cannot create a temporary file"), e.getMessage());
    } finally {
      Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    assertPreviousIntactAndAlone();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 7, 8, 9, 100, 1000, 2000, 3000})
  void aFullDiskAfterAnyNumberOfBytesIsAClearErrorAndChangesNothing(int capacity) throws Exception {
    WriteFaults fullDisk =
        new WriteFaults() {
          @Override
          public OutputStream wrap(OutputStream out) {
            return new Capacity(out, capacity);
          }
        };

    CheckpointException e = assertThrows(CheckpointException.class, () -> save(fullDisk));

    assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
    assertTrue(e.getMessage().endsWith("the previous file is untouched"), e.getMessage());
    assertPreviousIntactAndAlone();
  }

  @Test
  void aFailedFsyncIsAClearErrorAndChangesNothing() throws Exception {
    WriteFaults fsync =
        new WriteFaults() {
          @Override
          public void beforeForce(Path temporary) throws IOException {
            throw new IOException("Input/output error");
          }
        };

    CheckpointException e = assertThrows(CheckpointException.class, () -> save(fsync));

    assertTrue(e.getMessage().contains("Input/output error"), e.getMessage());
    assertPreviousIntactAndAlone();
  }

  @Test
  void aFailedRenameIsAClearErrorAndChangesNothing() throws Exception {
    WriteFaults rename =
        new WriteFaults() {
          @Override
          public void beforeMove(Path temporary, Path target) throws IOException {
            throw new FileSystemException(temporary.toString(), target.toString(), "Stale handle");
          }
        };

    CheckpointException e = assertThrows(CheckpointException.class, () -> save(rename));

    assertTrue(e.getMessage().contains("Stale handle"), e.getMessage());
    assertPreviousIntactAndAlone();
  }

  @Test
  void overwritingTheSameStepFailingLeavesTheOldFileOfThatStep() throws Exception {
    run.step = 2; // a second save of step 2 that fails half way
    WriteFaults fullDisk =
        new WriteFaults() {
          @Override
          public OutputStream wrap(OutputStream out) {
            return new Capacity(out, 500);
          }
        };

    CheckpointException unused = assertThrows(CheckpointException.class, () -> save(fullDisk));

    assertPreviousIntactAndAlone();
  }

  /**
   * A crash at byte k of the new checkpoint leaves its first k bytes in a temporary file, or — on a
   * file system that loses the order of the rename and the data — under the checkpoint's own name.
   * A torn file of any length is refused without changing the model, and the previous checkpoint is
   * what gets restored.
   */
  @Test
  void aCrashAtAnyByteLeavesThePreviousCheckpointRestorable() throws Exception {
    Path scratch = Files.createDirectory(root.resolve("scratch"));
    Path complete;
    try (CheckpointFolder checkpoints = CheckpointFolder.open(scratch, 1)) {
      complete = checkpoints.save(run.model, run.optimizer, run.random, run.progress());
    }
    byte[] next = Files.readAllBytes(complete);
    Path torn = root.resolve("step-000004.ckpt");
    TinyTraining other = new TinyTraining(Kind.ADAM, 8, 2);
    var before = TinyTraining.bits(other.model);
    var optimizerBefore = other.optimizer.exportState();

    for (int k = 0; k < next.length; k++) {
      // NOTE: a new file each time: truncating one file thousands of times is slow on ext4.
      Path prefix = Files.write(scratch.resolve("torn-" + k + ".ckpt"), Arrays.copyOf(next, k));
      CheckpointException e =
          assertThrows(CheckpointException.class, () -> other.restore(prefix), "torn at " + k);
      assertTrue(e.getMessage().startsWith(prefix.toString()), e.getMessage());
      assertEquals(before, TinyTraining.bits(other.model), "torn at " + k);
      assertEquals(optimizerBefore, other.optimizer.exportState(), "torn at " + k);
    }
    HostileInputs.count(next.length);

    CheckpointFolder checkpoints = CheckpointFolder.open(root, 3);
    Path temporary = root.resolve(".step-000004.ckpt.4242.tmp");
    for (int k : new int[] {0, 8, next.length / 2, next.length - 1}) {
      Files.write(torn, Arrays.copyOf(next, k));
      Files.write(temporary, Arrays.copyOf(next, k));
      TinyTraining fresh = new TinyTraining(Kind.ADAM, 8, 2);
      Checkpoint.Restored restored = fresh.restoreLatest(checkpoints);
      assertEquals(atPrevious, fresh.fingerprint(), "crash at byte " + k);
      assertEquals(
          List.of(torn + ": "),
          restored.passedOver().stream()
              .map(m -> m.substring(0, torn.toString().length() + 2))
              .toList());
    }
  }

  private void save(WriteFaults faults) throws IOException {
    try (CheckpointFolder checkpoints = CheckpointFolder.open(root, 3, faults)) {
      Path unused = checkpoints.save(run.model, run.optimizer, run.random, run.progress());
    }
  }

  private void assertPreviousIntactAndAlone() throws Exception {
    assertArrayEquals(previousBytes, Files.readAllBytes(previous));
    try (var files = Files.list(root)) {
      assertEquals(
          List.of(previous), files.filter(f -> !f.endsWith(CheckpointFolder.LOCK_FILE)).toList());
    }
    TinyTraining fresh = new TinyTraining(Kind.ADAM, 8, 2);
    Checkpoint.Restored unused = fresh.restore(previous);
    assertEquals(atPrevious, fresh.fingerprint());
  }

  private static boolean canCreateFileIn(Path folder) {
    try {
      Files.delete(Files.createTempFile(folder, "probe", ".tmp"));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A disk that fills up after {@code capacity} bytes: the write that overflows is partial. */
  private static final class Capacity extends FilterOutputStream {
    private long left;

    Capacity(OutputStream out, long capacity) {
      super(out);
      this.left = capacity;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      int fits = (int) Math.min(left, length);
      out.write(bytes, offset, fits);
      left -= fits;
      if (fits < length) {
        throw new IOException("No space left on device");
      }
    }
  }
}
