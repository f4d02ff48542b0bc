package dev.rewind.train.checkpoint;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import dev.rewind.autodiff.io.AtomicWrite;
import dev.rewind.autodiff.io.WriteFaults;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.layers.Layer;
import dev.rewind.optim.Optimizer;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A folder of checkpoints named by step ({@code step-000120.ckpt}) that keeps the last {@code K}. A
 * new checkpoint is written atomically first; only then are the older ones beyond {@code K}
 * deleted, so a crash at any moment leaves at least the previous checkpoint readable.
 *
 * <pre>{@code
 * try (CheckpointFolder checkpoints = CheckpointFolder.open(Path.of("runs/shakespeare"), 3)) {
 *   Optional<Checkpoint.Restored> restored = checkpoints.restoreLatest(model, optimizer);
 *   ...
 *   checkpoints.save(model, optimizer, random, Progress.of(step, position)); // every N steps
 * }
 * }</pre>
 *
 * <p>A folder has one writer: opening it takes a lock ({@link FileChannel#tryLock} on {@value
 * #LOCK_FILE} in the folder), held until {@link #close}, and a second open, in this process or
 * another, is refused. Only this process's own temporary files are ever deleted.
 */
public final class CheckpointFolder implements AutoCloseable {
  /** The file in the folder whose lock marks its one writer. */
  public static final String LOCK_FILE = ".lock";

  private static final Pattern CHECKPOINT = Pattern.compile("step-([0-9]{6,19})\\.ckpt");

  private final Path folder;
  private final int keep;
  private final WriteFaults faults;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private CheckpointFolder(
      Path folder, int keep, WriteFaults faults, FileChannel lockChannel, FileLock lock) {
    this.folder = folder;
    this.keep = keep;
    this.faults = faults;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * The checkpoints in {@code folder}, created if missing, keeping the last {@code keep}; this
   * process is their one writer until {@link #close}.
   *
   * @throws CheckpointException if another process (or another open folder in this one) is writing
   *     checkpoints there, if {@code folder} is a file, or if it cannot be created
   */
  public static CheckpointFolder open(Path folder, int keep) throws IOException {
    return open(folder, keep, WriteFaults.NONE);
  }

  static CheckpointFolder open(Path folder, int keep, WriteFaults faults) throws IOException {
    checkArgument(keep >= 1, "checkpoints: keep %s must be at least 1", keep);
    if (Files.exists(folder) && !Files.isDirectory(folder)) {
      throw new CheckpointException(folder, "is a file, not a folder of checkpoints");
    }
    try {
      Files.createDirectories(folder);
    } catch (FileAlreadyExistsException e) {
      throw new CheckpointException(
          folder, "cannot be made a folder: " + e.getFile() + " is a file", e);
    } catch (IOException e) {
      throw new CheckpointException(folder, "cannot be created (" + e + ")", e);
    }
    Path lockFile = folder.resolve(LOCK_FILE);
    FileChannel channel;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new CheckpointException(
          folder, "cannot write checkpoints here: the lock file " + lockFile + " (" + e + ")", e);
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // this process holds it already
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw new CheckpointException(folder, "cannot lock " + lockFile + " (" + e + ")", e);
    }
    if (lock == null) {
      channel.close();
      throw new CheckpointException(
          folder,
          "another process is writing checkpoints here (locked by "
              + lockFile
              + "); wait for it or use another folder");
    }
    return new CheckpointFolder(folder, keep, faults, channel, lock);
  }

  /** Releases the folder's lock; the checkpoints stay. Closing twice does nothing more. */
  @Override
  public void close() throws IOException {
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } finally {
      lockChannel.close();
    }
  }

  public Path folder() {
    return folder;
  }

  public int keep() {
    return keep;
  }

  /** The file name of the checkpoint of {@code step}: {@code step-000120.ckpt}. */
  public static String fileName(long step) {
    checkArgument(step >= 0, "checkpoints: step %s is negative", step);
    return String.format("step-%06d.ckpt", step);
  }

  /**
   * Writes the checkpoint of {@code progress.step()} (replacing one of the same step), then deletes
   * all but the newest {@code keep} checkpoints, never the one just written.
   *
   * @return the file written
   * @throws CheckpointException if it cannot be written; the folder's checkpoints are then as they
   *     were
   */
  public Path save(Layer model, Optimizer optimizer, Random random, Progress progress)
      throws IOException {
    if (!lock.isValid()) {
      throw new CheckpointException(folder, "was closed: this process no longer writes here");
    }
    Path file = folder.resolve(fileName(progress.step()));
    Checkpoint.save(file, model, optimizer, random, progress, faults);
    prune(file);
    return file;
  }

  /** Every checkpoint in the folder, oldest step first. */
  public ImmutableList<Path> checkpoints() throws IOException {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      files.filter(file -> step(file).isPresent()).forEach(found::add);
    }
    found.sort(Comparator.comparingLong(file -> step(file).orElseThrow()));
    return ImmutableList.copyOf(found);
  }

  /** The newest checkpoint, by step, if there is one. */
  public Optional<Path> latest() throws IOException {
    ImmutableList<Path> all = checkpoints();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /**
   * Restores the newest intact checkpoint into {@code model} and {@code optimizer}: see {@link
   * #restoreLatest(Layer, Optimizer, Map, RestoreCheck)}, accepting every intact checkpoint and
   * taking the carried state as it is saved.
   */
  public Optional<Checkpoint.Restored> restoreLatest(Layer model, Optimizer optimizer)
      throws IOException {
    return restoreLatest(model, optimizer, null, RestoreCheck.ACCEPT_ALL);
  }

  /**
   * Restores the newest intact checkpoint into {@code model} and {@code optimizer}. The files are
   * tried newest first, and each is {@linkplain Checkpoint#verify verified} (its size against the
   * model's before it is read, then format, version, checksum) before anything else: a damaged one
   * (corrupt, truncated by a file system that lost the rename) is passed over and named, with its
   * problem, in {@link Checkpoint.Restored#passedOver}. The first intact one goes to {@code check},
   * which may refuse it by throwing; then it is loaded, its carried state checked against {@code
   * carriedShapes} (null: not checked) with everything else, as {@link Checkpoint#load(Path, Layer,
   * Optimizer, Map)} does. Only damage is passed over: a refusal, or an intact checkpoint of
   * another model or optimizer, stops the restore; the exception then carries the newer damaged
   * checkpoints' {@link CheckpointException}s as {@linkplain Throwable#getSuppressed suppressed}.
   *
   * @return empty if the folder holds no checkpoint
   * @throws NoIntactCheckpointException if there are checkpoints but none is intact; the message
   *     holds the newest one's problem
   * @throws CheckpointException if the newest intact checkpoint does not fit {@code model}, {@code
   *     optimizer} or {@code carriedShapes}; nothing is changed
   * @throws RuntimeException whatever {@code check} throws to refuse; nothing is changed
   */
  public Optional<Checkpoint.Restored> restoreLatest(
      Layer model, Optimizer optimizer, Map<String, Shape> carriedShapes, RestoreCheck check)
      throws IOException {
    checkArgument(check != null, "checkpoints: the restore check is null");
    ImmutableList<Path> newestFirst = checkpoints().reverse();
    List<CheckpointException> damaged = new ArrayList<>();
    for (Path file : newestFirst) {
      Progress saved;
      try {
        saved = Checkpoint.verify(file, model, carriedShapes);
      } catch (CheckpointException e) {
        damaged.add(e);
        continue;
      }
      Checkpoint.Restored restored;
      try {
        check.check(file, saved);
        restored = Checkpoint.load(file, model, optimizer, carriedShapes);
      } catch (RuntimeException | CheckpointException stopped) {
        // The caller hears of the damaged newer ones as it would have on success.
        damaged.forEach(stopped::addSuppressed);
        throw stopped;
      }
      return Optional.of(
          new Checkpoint.Restored(
              restored.file(),
              restored.progress(),
              restored.random(),
              damaged.stream()
                  .map(Throwable::getMessage)
                  .collect(ImmutableList.toImmutableList())));
    }
    if (damaged.isEmpty()) {
      return Optional.empty();
    }
    throw new NoIntactCheckpointException(folder, damaged);
  }

  /**
   * Deletes the checkpoints beyond the newest {@code keep}, sparing {@code written}. Temporary
   * files are left alone: {@link AtomicWrite} deletes its own, and any other may be another
   * writer's.
   */
  private void prune(Path written) throws IOException {
    ImmutableList<Path> all = checkpoints();
    for (int i = 0; i < all.size() - keep; i++) {
      if (!all.get(i).getFileName().equals(written.getFileName())) {
        deleteQuietly(all.get(i));
      }
    }
  }

  private static Optional<Long> step(Path file) {
    Matcher matcher = CHECKPOINT.matcher(file.getFileName().toString());
    if (!matcher.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(matcher.group(1)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // NOTE: the new checkpoint is safe; an old one that cannot be deleted now is tried next time.
    }
  }
}
