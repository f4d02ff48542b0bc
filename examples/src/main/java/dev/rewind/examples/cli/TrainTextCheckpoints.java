package dev.rewind.examples.cli;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableMap;
import dev.rewind.datasets.text.LanguageModelStreams;
import dev.rewind.train.Trainer;
import dev.rewind.train.checkpoint.Checkpoint;
import dev.rewind.train.checkpoint.CheckpointFolder;
import dev.rewind.train.checkpoint.NoIntactCheckpointException;
import dev.rewind.train.checkpoint.Progress;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@code train-text} adds to the loop's checkpoints in its --checkpoints folder: a fresh run
 * refuses to start over an earlier one's (unless --fresh deletes them); a resumed run takes the
 * newest intact one only if it was saved with this run's settings and not past --steps, and says
 * what it resumed from and what it passed over. Saving and restoring are the {@link Trainer}'s.
 */
final class TrainTextCheckpoints {

  private final CheckpointFolder folder;
  private final TrainTextSettings settings;
  private final LanguageModelStreams training;
  private final PrintWriter stdout;
  private final PrintWriter stderr;

  /**
   * @param training the text the run trains on, whose windows a checkpoint's position must match
   */
  TrainTextCheckpoints(
      CheckpointFolder folder,
      TrainTextSettings settings,
      LanguageModelStreams training,
      PrintWriter stdout,
      PrintWriter stderr) {
    this.folder = folder;
    this.settings = settings;
    this.training = training;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  CheckpointFolder folder() {
    return folder;
  }

  /** The run's settings, which every checkpoint carries as its attributes. */
  ImmutableMap<String, String> attributes() {
    return settings.attributes();
  }

  /**
   * Makes sure a run from step 0 does not mix its checkpoints with an earlier run's: with {@code
   * fresh} (--fresh) those are deleted, and said so; without it, their presence is an error, so
   * that nothing saved is lost to a forgotten --resume.
   */
  void startFresh(boolean fresh) throws IOException {
    List<Path> earlier = folder.checkpoints();
    if (earlier.isEmpty()) {
      return;
    }
    String count = earlier.size() + " checkpoint" + (earlier.size() == 1 ? "" : "s");
    if (!fresh) {
      throw new IllegalArgumentException(
          String.format(
              "%s holds %s of an earlier run (the newest %s): add --resume to continue it, or"
                  + " --fresh to delete them and start over",
              folder.folder(), count, earlier.get(earlier.size() - 1).getFileName()));
    }
    for (Path old : earlier) {
      Files.deleteIfExists(old);
    }
    stderr.printf("--fresh: deleted %s of an earlier run from %s%n", count, folder.folder());
    stderr.flush();
  }

  /**
   * Resumes {@code loop} from the newest intact checkpoint, which must have been saved by a run
   * with this run's settings and text and not be past {@code steps}; damaged newer ones are passed
   * over with a line on stderr each. With no checkpoint in the folder, says so on stdout and leaves
   * the loop at step 0.
   *
   * @throws IllegalArgumentException if no checkpoint is intact, or the newest intact one was saved
   *     with other settings or is past {@code steps}
   */
  void resume(Trainer<?> loop, long steps) throws IOException {
    Optional<Checkpoint.Restored> restored;
    try {
      restored = loop.resume((file, saved) -> checkResumable(file, saved, steps));
    } catch (IllegalArgumentException refused) {
      passedOverBefore(refused);
      throw refused;
    } catch (UncheckedIOException e) {
      passedOverBefore(e.getCause());
      if (e.getCause() instanceof NoIntactCheckpointException none) {
        none.problems().forEach(this::passedOver);
        throw new IllegalArgumentException(
            String.format(
                "--resume: none of the %d checkpoints in %s is intact; the newest: %s (add --fresh"
                    + " instead of --resume to delete them and start over)",
                none.problems().size(), folder.folder(), none.problems().get(0)),
            none);
      }
      throw e.getCause();
    }
    if (restored.isEmpty()) {
      stdout.printf("no checkpoint in %s, starting at step 0%n", folder.folder());
      return;
    }
    restored.get().passedOver().forEach(this::passedOver);
    stdout.printf(
        "resuming from %s at step %d%n", restored.get().file(), restored.get().progress().step());
  }

  /** Names the damaged checkpoints passed over before the one whose restore {@code failed}. */
  private void passedOverBefore(Throwable failed) {
    for (Throwable damaged : failed.getSuppressed()) {
      passedOver(damaged.getMessage());
    }
  }

  private void passedOver(String problem) {
    stderr.printf("rewind: --resume: passed over %s%n", problem);
    stderr.flush();
  }

  /** Refuses an intact checkpoint of other settings, past {@code steps}, or of another window. */
  private void checkResumable(Path file, Progress saved, long steps) {
    // Name a difference in the settings before the model's shapes or the optimizer complain.
    settings.checkSavedWith(file, saved.attributes());
    long step = saved.step();
    checkArgument(
        step <= steps,
        "--resume: %s is at step %s, past --steps %s: ask for at least %s steps",
        file,
        step,
        steps,
        step);
    // The loop counts windows read; window k of the text is read at every k mod windows.
    long windows = training.windowCount();
    checkArgument(
        saved.dataPosition() % windows == step % windows,
        "--resume: %s reads window %s next, but step %s of this text is window %s",
        file,
        saved.dataPosition() % windows,
        step,
        step % windows);
  }
}
