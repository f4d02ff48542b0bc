package dev.rewind.examples.cli;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.datasets.text.LanguageModelStreams;
import dev.rewind.examples.text.CharModel;
import dev.rewind.examples.text.CharTrainer;
import dev.rewind.layers.RecurrentState;
import dev.rewind.train.checkpoint.Checkpoint;
import dev.rewind.train.checkpoint.CheckpointException;
import dev.rewind.train.checkpoint.CheckpointFolder;
import dev.rewind.train.checkpoint.Progress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The training checkpoints of a {@code train-text} run, in its --checkpoints folder: a fresh run
 * refuses to start over an earlier one's (unless --fresh deletes them), a resumed run restores the
 * newest intact one after checking that it was saved with this run's settings, and every checkpoint
 * saved carries those settings.
 */
final class TrainTextCheckpoints {

  private final CheckpointFolder folder;
  private final TrainTextSettings settings;
  private final PrintWriter stdout;
  private final PrintWriter stderr;

  TrainTextCheckpoints(
      CheckpointFolder folder, TrainTextSettings settings, PrintWriter stdout, PrintWriter stderr) {
    this.folder = folder;
    this.settings = settings;
    this.stdout = stdout;
    this.stderr = stderr;
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
   * Restores the newest intact checkpoint into the model, the optimizer and the trainer. A
   * checkpoint whose checksum fails (damaged anywhere, its settings included) is passed over, with
   * a line on stderr; an intact one must have been saved by a run with this run's settings and
   * vocabulary, and not be past {@code steps}.
   *
   * @return the random generator saved with it, which the run continues with; empty, with a note on
   *     stdout, if the folder holds no checkpoint
   * @throws IllegalArgumentException if no checkpoint is intact, or the newest intact one was saved
   *     with other settings
   */
  <S extends RecurrentState<S>> Optional<Random> resumeLatest(
      CharModel<S> model, CharTrainer<S> trainer, LanguageModelStreams training, long steps)
      throws IOException {
    List<Path> newestFirst = folder.checkpoints().reverse();
    if (newestFirst.isEmpty()) {
      stdout.printf("no checkpoint in %s, starting at step 0%n", folder.folder());
      return Optional.empty();
    }
    String newestProblem = null;
    for (Path file : newestFirst) {
      Progress saved;
      try {
        saved = Checkpoint.verify(file);
      } catch (CheckpointException e) {
        stderr.printf("rewind: --resume: passed over %s%n", e.getMessage());
        stderr.flush();
        newestProblem = newestProblem == null ? e.getMessage() : newestProblem;
        continue;
      }
      // Name a difference in the settings before the model's shapes or the optimizer complain.
      settings.checkSavedWith(file, saved.attributes());
      return Optional.of(restore(file, saved, model, trainer, training, steps));
    }
    throw new IllegalArgumentException(
        String.format(
            "--resume: none of the %d checkpoints in %s is intact; the newest: %s (add --fresh"
                + " instead of --resume to delete them and start over)",
            newestFirst.size(), folder.folder(), newestProblem));
  }

  private <S extends RecurrentState<S>> Random restore(
      Path file,
      Progress saved,
      CharModel<S> model,
      CharTrainer<S> trainer,
      LanguageModelStreams training,
      long steps)
      throws IOException {
    long step = saved.step();
    checkArgument(
        step <= steps,
        "--resume: %s is at step %s, past --steps %s: ask for at least %s steps",
        file,
        step,
        steps,
        step);
    long expected = step % training.windowCount();
    checkArgument(
        saved.dataPosition() == expected,
        "--resume: %s reads window %s next, but step %s of this text is window %s",
        file,
        saved.dataPosition(),
        step,
        expected);
    S template = model.initialState(training.batch());
    Checkpoint.Restored restored =
        Checkpoint.load(file, model, trainer.optimizer(), template.shapes());
    trainer.resume(step, template.withTensors(restored.progress().carried()));
    stdout.printf("resuming from %s at step %d%n", file, step);
    return restored.random();
  }

  /**
   * Saves everything needed to continue after the trainer's current step: the parameters, the
   * optimizer's state, {@code random}, the position in the text, the carried state and the run's
   * settings. Returns the file written.
   */
  <S extends RecurrentState<S>> Path save(CharModel<S> model, CharTrainer<S> trainer, Random random)
      throws IOException {
    Progress progress =
        Progress.of(trainer.steps(), trainer.dataPosition())
            .withCarried(trainer.state().tensors())
            .withAttributes(settings.attributes());
    return folder.save(model, trainer.optimizer(), random, progress);
  }
}
