package dev.rewind.examples.cli;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.io.Safetensors;
import dev.rewind.datasets.text.LanguageModelStreams;
import dev.rewind.examples.text.CharModel;
import dev.rewind.examples.text.CharTrainer;
import dev.rewind.layers.RecurrentState;
import dev.rewind.train.checkpoint.Checkpoint;
import dev.rewind.train.checkpoint.CheckpointFolder;
import dev.rewind.train.checkpoint.Progress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The training checkpoints of a {@code train-text} run, in its --checkpoints folder: a fresh run
 * removes those of an earlier one, a resumed run restores the newest after checking that it was
 * saved with this run's settings, and every checkpoint saved carries those settings.
 */
final class TrainTextCheckpoints {
  // A checkpoint's settings are read before restoring it only if it is no larger than this.
  private static final long MAX_SETTINGS_READ_BYTES = 1L << 30;
  private static final String ATTRIBUTE_PREFIX = "attribute.";

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
   * A fresh run starts a fresh series: the checkpoints of an earlier run would confuse --resume.
   */
  void removeEarlier() throws IOException {
    List<Path> earlier = folder.checkpoints();
    if (earlier.isEmpty()) {
      return;
    }
    for (Path old : earlier) {
      Files.deleteIfExists(old);
    }
    stderr.printf(
        "removed %d checkpoint%s of an earlier run from %s (use --resume to continue one)%n",
        earlier.size(), earlier.size() == 1 ? "" : "s", folder.folder());
    stderr.flush();
  }

  /**
   * Restores the newest checkpoint into the model, the optimizer and the trainer, after checking
   * that it was saved by a run with this run's settings and vocabulary, and that it is not past
   * {@code steps}.
   *
   * @return the random generator saved with it, which the run continues with; empty, with a note on
   *     stdout, if the folder holds no checkpoint
   */
  <S extends RecurrentState<S>> Optional<Random> resumeLatest(
      CharModel<S> model, CharTrainer<S> trainer, LanguageModelStreams training, long steps)
      throws IOException {
    Optional<Path> latest = folder.latest();
    if (latest.isEmpty()) {
      stdout.printf("no checkpoint in %s, starting at step 0%n", folder.folder());
      return Optional.empty();
    }
    // Name a difference in the settings before the model's shapes or the optimizer complain.
    Map<String, String> savedSettings = readableAttributes(latest.get());
    if (savedSettings != null) {
      settings.checkSavedWith(latest.get(), savedSettings);
    }
    S template = model.initialState(training.batch());
    Checkpoint.Restored restored =
        folder.restoreLatest(model, trainer.optimizer(), template.shapes()).orElseThrow();
    for (String problem : restored.passedOver()) {
      stderr.printf("rewind: passed over %s%n", problem);
    }
    Progress progress = restored.progress();
    // The file restored may be older than the one read above, if that one was passed over.
    settings.checkSavedWith(restored.file(), progress.attributes());
    long step = progress.step();
    checkArgument(
        step <= steps,
        "--resume: %s is at step %s, past --steps %s: ask for at least %s steps",
        restored.file(),
        step,
        steps,
        step);
    long expected = step % training.windowCount();
    checkArgument(
        progress.dataPosition() == expected,
        "--resume: %s reads window %s next, but step %s of this text is window %s",
        restored.file(),
        progress.dataPosition(),
        step,
        expected);
    trainer.resume(step, template.withTensors(progress.carried()));
    stdout.printf("resuming from %s at step %d%n", restored.file(), step);
    return Optional.of(restored.random());
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

  /** The attributes of {@code file}, or null if it cannot be read as a checkpoint of sane size. */
  private static Map<String, String> readableAttributes(Path file) {
    try {
      if (Files.size(file) > MAX_SETTINGS_READ_BYTES) {
        return null;
      }
      Map<String, String> attributes = new LinkedHashMap<>();
      Safetensors.readContents(file)
          .metadata()
          .forEach(
              (key, value) -> {
                if (key.startsWith(ATTRIBUTE_PREFIX)) {
                  attributes.put(key.substring(ATTRIBUTE_PREFIX.length()), value);
                }
              });
      return attributes;
    } catch (IOException | RuntimeException e) {
      return null; // restoring names the problem, or passes over the file
    }
  }
}
