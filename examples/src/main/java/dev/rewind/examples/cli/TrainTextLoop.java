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
import java.time.Duration;
import java.util.Optional;
import java.util.Random;

/**
 * The training loop of {@code train-text}, a configuration of the library's {@link Trainer}: takes
 * the steps left, measures the validation loss ten times a run, shows progress on stderr, saves a
 * checkpoint (with the run's settings) every N steps and after the last, and on Ctrl-C (or SIGTERM)
 * stops after the current step with a final checkpoint.
 */
final class TrainTextLoop {
  // How long a Ctrl-C waits for the current step and the final checkpoint before the JVM exits.
  private static final Duration STOP_PATIENCE = Duration.ofSeconds(60);

  private final long steps;
  private final long logEvery;
  private final long saveEvery;
  private final LanguageModelStreams validation;
  private final TrainTextCheckpoints checkpoints;
  private final PrintWriter stdout;
  private final PrintWriter stderr;

  /**
   * @param steps the step to train up to
   * @param logEvery when stderr is not a terminal, the steps between progress lines
   * @param saveEvery the steps between checkpoints
   * @param validation the streams to measure the validation loss on, or null for none
   */
  TrainTextLoop(
      long steps,
      long logEvery,
      long saveEvery,
      LanguageModelStreams validation,
      TrainTextCheckpoints checkpoints,
      PrintWriter stdout,
      PrintWriter stderr) {
    this.steps = steps;
    this.logEvery = logEvery;
    this.saveEvery = saveEvery;
    this.validation = validation;
    this.checkpoints = checkpoints;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * Trains from the trainer's current step (0, or where it resumed) up to {@code steps}; {@code
   * random} is the run's generator, saved with every checkpoint.
   *
   * @return the losses of the steps taken; empty when a stop was requested (Ctrl-C, SIGTERM): the
   *     run then saved a final checkpoint and said so on stderr
   * @throws IllegalStateException if training met an anomaly; the message names the last checkpoint
   *     saved
   */
  <S extends RecurrentState<S>> Optional<LearningCurve> run(
      CharModel<S> model, CharTrainer<S> trainer, Random random) throws IOException {
    long firstStep = trainer.steps();
    boolean terminal = System.console() != null;
    ProgressLine progress = new ProgressLine(stderr, terminal, firstStep, steps, logEvery);
    long evaluateEvery = Math.max(1, steps / 10);
    Saver<S> saver = new Saver<>(model, trainer, random, progress);
    FitResult result;
    try (GracefulStop stop = GracefulStop.onShutdown(STOP_PATIENCE)) {
      Trainer<S> loop = trainer.loop(validation, evaluateEvery, stop, saver);
      try {
        result = loop.fit(steps);
      } catch (TrainingAnomalyException e) {
        progress.finish();
        throw new IllegalStateException(
            "training stopped at "
                + e.getMessage()
                + (saver.last == null ? "" : "; the last checkpoint is " + saver.last),
            e);
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      if (result.reason() == StopReason.STOPPED) {
        if (saver.saved != trainer.steps() || saver.last == null) {
          saver.last = checkpoints.save(model, trainer, random);
        }
        progress.finish();
        stderr.printf(
            "interrupted at step %d: saved %s; run again with --resume%n",
            trainer.steps(), saver.last);
        stderr.flush();
        stdout.flush();
        // NOTE: no System.exit here: during a shutdown it would wait for the hook, which waits for
        // this block to close. The JVM exits when the hook returns; in-process callers get 130.
        return Optional.empty();
      }
    }
    progress.finish();
    LearningCurve curve = new LearningCurve(firstStep);
    result.losses().forEach(curve::addTraining);
    result.validations().forEach(measured -> curve.addValidation(measured.step(), measured.loss()));
    if (validation != null && curve.validation().length == 0) {
      // Resumed at the last step: nothing was trained or measured, and the report needs the loss.
      curve.addValidation(trainer.steps(), CharTrainer.evaluate(model, validation));
    }
    return Optional.of(curve);
  }

  /**
   * Shows progress after every step and saves a checkpoint, with the run's settings, every N steps
   * and after the last.
   */
  private final class Saver<S extends RecurrentState<S>> implements TrainingListener {
    private final CharModel<S> model;
    private final CharTrainer<S> trainer;
    private final Random random;
    private final ProgressLine progress;
    private Path last;
    private long saved;

    Saver(CharModel<S> model, CharTrainer<S> trainer, Random random, ProgressLine progress) {
      this.model = model;
      this.trainer = trainer;
      this.random = random;
      this.progress = progress;
      this.saved = trainer.steps();
    }

    @Override
    public void onStep(StepEvent event) {
      progress.update(event.step(), event.loss(), (int) event.size());
      if (event.step() % saveEvery == 0 || event.step() == steps) {
        try {
          last = checkpoints.save(model, trainer, random);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        saved = event.step();
      }
    }
  }
}
