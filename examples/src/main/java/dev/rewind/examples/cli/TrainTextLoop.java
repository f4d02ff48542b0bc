package dev.rewind.examples.cli;

import dev.rewind.datasets.text.LanguageModelStreams;
import dev.rewind.examples.text.CharModel;
import dev.rewind.examples.text.CharTrainer;
import dev.rewind.examples.text.LearningCurve;
import dev.rewind.layers.RecurrentState;
import dev.rewind.train.FitResult;
import dev.rewind.train.GracefulStop;
import dev.rewind.train.StepEvent;
import dev.rewind.train.StopReason;
import dev.rewind.train.Trainer;
import dev.rewind.train.TrainingAnomalyException;
import dev.rewind.train.TrainingListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;

/**
 * The training loop of {@code train-text}, a configuration of the library's {@link Trainer}: takes
 * the steps left, measures the validation loss ten times a run, shows progress on stderr, saves a
 * checkpoint with the run's settings every N steps and after the last, and on Ctrl-C (or SIGTERM)
 * stops after the current step with a final checkpoint.
 */
final class TrainTextLoop {
  private final long steps;
  private final long logEvery;
  private final long saveEvery;
  private final LanguageModelStreams validation;
  private final TrainTextCheckpoints checkpoints;
  private final PrintWriter stdout;
  private final PrintWriter stderr;
  private final boolean terminal;

  /**
   * @param steps the step to train up to
   * @param logEvery when stderr is not a terminal, the steps between progress lines
   * @param saveEvery the steps between checkpoints
   * @param validation the streams to measure the validation loss on, or null for none
   * @param terminal whether stderr is a terminal, where the progress line is redrawn in place
   */
  TrainTextLoop(
      long steps,
      long logEvery,
      long saveEvery,
      LanguageModelStreams validation,
      TrainTextCheckpoints checkpoints,
      PrintWriter stdout,
      PrintWriter stderr,
      boolean terminal) {
    this.steps = steps;
    this.logEvery = logEvery;
    this.saveEvery = saveEvery;
    this.validation = validation;
    this.checkpoints = checkpoints;
    this.stdout = stdout;
    this.stderr = stderr;
    this.terminal = terminal;
  }

  /**
   * Trains {@code model} up to {@code steps}, from step 0 or, with {@code resume}, from the newest
   * checkpoint that fits this run (see {@link TrainTextCheckpoints#resume}); {@code random} is the
   * run's generator, saved with every checkpoint.
   *
   * @return the losses of the steps taken; empty when {@code stop} was requested (Ctrl-C, SIGTERM):
   *     the run then saved a final checkpoint, or nothing if it took no step, and said so on stderr
   * @throws IllegalStateException if training met an anomaly; the message names the last checkpoint
   *     saved
   */
  <S extends RecurrentState<S>> Optional<LearningCurve> run(
      CharModel<S> model, CharTrainer<S> trainer, boolean resume, Random random, GracefulStop stop)
      throws IOException {
    Watcher watcher = new Watcher();
    Trainer<S> loop =
        trainer
            .loop(validation, Math.max(1, steps / 10))
            .checkpoints(checkpoints.folder(), saveEvery)
            .attributes(checkpoints.attributes())
            .random(random)
            .stopOn(stop)
            .listener(watcher)
            .build();
    if (resume) {
      checkpoints.resume(loop, steps);
    }
    // What --resume said goes out before the progress line starts on stderr.
    stdout.flush();
    long firstStep = loop.steps();
    watcher.progress = new ProgressLine(stderr, terminal, firstStep, steps, logEvery);
    FitResult result;
    try {
      result = loop.fit(steps);
    } catch (TrainingAnomalyException e) {
      watcher.progress.finish();
      throw new IllegalStateException(
          "training stopped at "
              + e.getMessage()
              + (watcher.lastCheckpoint == null
                  ? ""
                  : "; the last checkpoint is " + watcher.lastCheckpoint),
          e);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    watcher.progress.finish();
    if (result.reason() == StopReason.STOPPED) {
      stopped(result);
      return Optional.empty();
    }
    LearningCurve curve = new LearningCurve(firstStep);
    result.losses().forEach(curve::addTraining);
    result.validations().forEach(measured -> curve.addValidation(measured.step(), measured.loss()));
    if (validation != null && curve.validation().length == 0) {
      // Resumed at the last step: nothing was trained or measured, and the report needs the loss.
      curve.addValidation(loop.steps(), CharTrainer.evaluate(model, validation));
    }
    return Optional.of(curve);
  }

  /** Says where a stopped run saved its final checkpoint, or that it trained nothing. */
  private void stopped(FitResult result) {
    if (result.stepsTaken() == 0) {
      TrainTextCommand.stoppedBeforeTraining(stderr);
    } else {
      stderr.printf(
          "interrupted at step %d: saved %s; run again with --resume%n",
          result.step(), result.lastCheckpoint().orElseThrow());
    }
    stderr.flush();
    stdout.flush();
  }

  /** Shows progress after every step and remembers the last checkpoint saved. */
  private static final class Watcher implements TrainingListener {
    private ProgressLine progress;
    private Path lastCheckpoint;

    @Override
    public void onStep(StepEvent event) {
      progress.update(event.step(), event.loss(), (int) event.size());
    }

    @Override
    public void onCheckpoint(long step, Path file) {
      lastCheckpoint = file;
    }
  }
}
