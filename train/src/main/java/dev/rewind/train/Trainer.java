package dev.rewind.train;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import com.google.common.collect.ImmutableList;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.layers.Layer;
import dev.rewind.layers.RecurrentState;
import dev.rewind.optim.Optimizer;
import dev.rewind.train.checkpoint.Checkpoint;
import dev.rewind.train.checkpoint.RestoreCheck;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * The training loop for recurrent models: reads batches from a {@link BatchSource}, runs the {@link
 * TrainingStep} on a tape, differentiates its loss (the tape's reverse walk is BPTT) and steps the
 * optimizer, carrying the recurrent state from batch to batch, or from window to window with {@link
 * TrainerBuilder#truncate truncated BPTT}. Around that: validation every N steps, early stopping,
 * checkpoints every N steps with exact resume, a graceful stop, and the {@link AnomalyGuard} on
 * every step. It never prints; {@link TrainingListener}s hear everything.
 *
 * <pre>{@code
 * try (CheckpointFolder checkpoints = CheckpointFolder.open(Path.of("runs/lstm"), 3)) { // a lock
 *   Trainer<LstmState> trainer =
 *       Trainer.builder(model, optimizer, 32, cell::initialState)   // batches of 32 sequences
 *           .source(position -> batches.get(position))
 *           .step((batch, state, random) -> {
 *             Recurrent.Unrolled<LstmState> run =
 *                 model.run(Var.constant(batch.inputs()), state, batch.mask());
 *             Var loss = Losses.meanSquaredError(run.stacked(), Var.constant(batch.targets()));
 *             return StepResult.of(loss, run.finalState());
 *           })
 *           .truncate(20)                                 // windows of 20 steps, state carried
 *           .validation(validationSource, 8, 100)         // 8 batches, every 100 steps
 *           .earlyStopping(5, 1e-4)
 *           .checkpoints(checkpoints, 500)
 *           .random(new Random(42))
 *           .listener(progress)                            // a TrainingListener of yours
 *           .build();
 *   trainer.resume();                                     // the newest checkpoint, if any
 *   FitResult result = trainer.fit(10_000);
 * }
 * }</pre>
 *
 * <p>One step is one optimizer update: a whole batch, or one window of it with {@code truncate(k)}.
 * Clipping, learning-rate schedules and the policy for non-finite gradients belong to the optimizer
 * ({@code ClippedOptimizer}, {@code NonFinitePolicy}, the schedules of {@code dev.rewind.optim}).
 *
 * <p>Exact resume: a run of N steps, checkpointed, and continued for N more in another JVM by a
 * trainer built alike and {@link #resume resumed} ends with parameters equal bit for bit to 2N
 * uninterrupted steps, provided the source is a function of the position and every random number
 * the step draws comes from the generator it is handed.
 *
 * @param <S> the model's recurrent state
 */
public final class Trainer<S extends RecurrentState<S>> {
  private final Layer model;
  private final Optimizer optimizer;
  private final TrainingStep<S> step;
  private final int batchSize;
  private final IntFunction<S> initialState;
  private final Validation validation;
  private final EarlyStopping earlyStopping;
  // What validation has measured (the best loss, when last), with or without early stopping.
  private final EarlyStopping best;
  private final TrainerCheckpoints checkpoints;
  private final GracefulStop stop;
  private final ImmutableList<TrainingListener> listeners;
  private final AnomalyGuard guard;

  private final DataCursor data;
  private final DType dtype;
  private Random random;
  private long steps;
  private S carried;

  Trainer(TrainerBuilder<S> builder) {
    this.model = builder.model;
    this.optimizer = builder.optimizer;
    this.step = builder.step;
    this.batchSize = builder.batchSize;
    // A float32 model (Layer.to) trains on float32 batches from a float32 zero state: the data and
    // the initial-state function give float64, the default, and are converted here.
    this.dtype = model.dtype();
    this.initialState = batch -> builder.initialState.apply(batch).withDType(dtype);
    this.data = new DataCursor(builder.source, batchSize, builder.window);
    this.validation = builder.validation;
    this.earlyStopping = builder.earlyStopping;
    this.best = earlyStopping != null ? earlyStopping : new EarlyStopping(Integer.MAX_VALUE, 0);
    this.checkpoints = builder.checkpoints;
    this.stop = builder.stop;
    this.listeners = ImmutableList.copyOf(builder.listeners);
    this.guard = new AnomalyGuard(model, optimizer, builder.detection).recyclingTapes();
    this.random = builder.random;
  }

  /**
   * A trainer of {@code model}'s parameters with {@code optimizer}, whose training batches hold
   * {@code batchSize} sequences; {@code initialState} gives the state a batch of new sequences
   * starts from, for any batch size (validation batches may differ). Then give it a {@link
   * TrainerBuilder#source} and a {@link TrainerBuilder#step}.
   */
  public static <S extends RecurrentState<S>> TrainerBuilder<S> builder(
      Layer model, Optimizer optimizer, int batchSize, IntFunction<S> initialState) {
    return new TrainerBuilder<>(model, optimizer, batchSize, initialState);
  }

  /**
   * Trains until {@code untilStep} steps have been taken in all (counting those before a resume),
   * early stopping says stop, or a graceful stop is requested; then saves a final checkpoint if
   * checkpoints are on and the last step was not saved yet. A stop requested before the call ends
   * it at once: nothing measured, trained or saved. Validation runs before the first step (unless
   * this step was measured already), every N steps and after the last. A run that early stopping
   * has stopped, resumed or not, takes no more steps.
   *
   * @throws TrainingAnomalyException if a step's loss or gradients are not finite and the
   *     optimizer's policy is to throw; parameters, optimizer and carried state are as before it
   * @throws java.io.UncheckedIOException if a checkpoint cannot be written
   */
  @CanIgnoreReturnValue
  public FitResult fit(long untilStep) {
    checkArgument(
        untilStep >= steps,
        "trainer: fit(%s) asks for fewer steps than the %s already taken",
        untilStep,
        steps);
    long firstStep = steps;
    List<Double> losses = new ArrayList<>();
    List<ValidationEvent> validations = new ArrayList<>();
    Path lastCheckpoint = null;
    long savedAt = -1;
    StopReason reason =
        earlyStopping != null && earlyStopping.exhausted()
            ? StopReason.EARLY_STOPPED
            : StopReason.FINISHED;
    // A stop requested before the first step (while the data was loaded, say) ends the call before
    // anything is measured: nothing is trained, nothing saved.
    if (reason == StopReason.FINISHED && stop != null && stop.requested()) {
      reason = StopReason.STOPPED;
    }
    // A run that validated at this step (before a resume, or at the end of the last call) does
    // not again: the loss would be the same, and early stopping would count it twice.
    if (validation != null
        && reason != StopReason.STOPPED
        && untilStep > steps
        && !best.measuredAt(steps)) {
      validations.add(validate());
    }
    while (steps < untilStep && reason == StopReason.FINISHED) {
      if (stop != null && stop.requested()) {
        reason = StopReason.STOPPED;
        break;
      }
      losses.add(trainStep().loss());
      if (validation != null && validation.due(steps, untilStep)) {
        validations.add(validate());
        if (earlyStopping != null && earlyStopping.exhausted()) {
          reason = StopReason.EARLY_STOPPED;
        }
      }
      if (checkpoints != null && (steps % checkpoints.every() == 0 || steps == untilStep)) {
        lastCheckpoint = save();
        savedAt = steps;
      }
    }
    if (checkpoints != null && steps > firstStep && savedAt != steps) {
      lastCheckpoint = save();
    }
    FitResult result =
        new FitResult(
            firstStep,
            steps,
            ImmutableList.copyOf(losses),
            ImmutableList.copyOf(validations),
            reason,
            Optional.ofNullable(lastCheckpoint));
    listeners.forEach(listener -> listener.onFinish(result));
    return result;
  }

  /**
   * Takes one step outside {@link #fit}: the next batch or window, one optimizer update; listeners
   * hear it, nothing is validated or saved.
   */
  @CanIgnoreReturnValue
  public StepEvent trainStep() {
    Batch part = data.next().to(dtype);
    S start = part.continues() && carried != null ? carried : initialState.apply(batchSize);
    AtomicReference<StepResult<S>> result = new AtomicReference<>();
    AnomalyGuard.Outcome outcome =
        guard.step(
            steps + 1,
            random,
            generator -> {
              // Dropout in the model draws from the generator the checkpoints save (or from the
              // copy a replay gets), so a resumed or replayed step draws the same masks.
              model.useGenerator(generator);
              StepResult<S> output = step.run(part, start, generator);
              // Truncated BPTT: the next window starts from the final state, cut off the tape;
              // cut while the tape is open, since the step's tape reuses the arrays of what it
              // did not hand out.
              S detached = output.finalState().detach();
              result.set(
                  new StepResult<>(output.loss(), detached, output.correct(), output.counted()));
              return output.loss();
            });
    carried = result.get().finalState();
    steps++;
    data.advance();
    StepEvent event =
        new StepEvent(
            steps,
            outcome.loss(),
            result.get().accuracy(),
            outcome.report().gradientNorm(),
            outcome.skipped(),
            outcome.anomaly(),
            (long) part.size() * part.length());
    listeners.forEach(listener -> listener.onStep(event));
    return event;
  }

  /**
   * Restores the newest intact checkpoint of the folder given to {@link TrainerBuilder#checkpoints}
   * into the model, the optimizer, the generator, the step, the data position and the carried
   * state; a newer damaged one is passed over and named in the result.
   *
   * @return empty, with nothing changed, if the folder holds no checkpoint
   * @throws IllegalStateException if this trainer has no checkpoints
   * @throws java.io.UncheckedIOException if the folder cannot be read, with a {@code
   *     NoIntactCheckpointException} if every checkpoint in it is damaged, or a {@code
   *     CheckpointException} if the newest intact one does not fit the model or optimizer
   */
  @CanIgnoreReturnValue
  public Optional<Checkpoint.Restored> resume() {
    return resume(RestoreCheck.ACCEPT_ALL);
  }

  /**
   * As {@link #resume()}, letting {@code check} refuse the newest intact checkpoint before anything
   * is loaded, typically because its {@link TrainerBuilder#attributes} show other settings than
   * this run's. A refusal is whatever {@code check} throws, unchanged; nothing is restored then.
   */
  @CanIgnoreReturnValue
  public Optional<Checkpoint.Restored> resume(RestoreCheck check) {
    checkState(checkpoints != null, "trainer: resume() needs checkpoints(folder, everySteps)");
    Optional<TrainerCheckpoints.Restored<S>> restored;
    try {
      restored = checkpoints.restoreLatest(model, optimizer, initialState.apply(batchSize), check);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    restored.ifPresent(
        found -> {
          random = found.checkpoint().random();
          steps = found.step();
          data.moveTo(found.position(), found.windowStart());
          carried = found.carried();
          best.restore(found.loop());
        });
    return restored.map(TrainerCheckpoints.Restored::checkpoint);
  }

  /**
   * Continues from a state restored elsewhere (the model and optimizer restored by the caller):
   * {@code steps} taken, the next batch at {@code position} from its first step, {@code carried}
   * flowing into it if it continues the sequences.
   */
  public void resumeAt(long steps, long position, S carried) {
    checkArgument(steps >= 0, "trainer: resumeAt: the step count %s is negative", steps);
    checkArgument(carried != null, "trainer: resumeAt: no carried state");
    data.moveTo(position, 0);
    this.steps = steps;
    this.carried = carried;
  }

  /** The steps taken, including those before a resume. */
  public long steps() {
    return steps;
  }

  /** The position of the batch the next step reads (the one being cut into windows, if any). */
  public long position() {
    return data.position();
  }

  /**
   * The state carried into the next step, if it continues the sequences: the initial one before the
   * first step.
   */
  public S state() {
    return carried != null ? carried : initialState.apply(batchSize);
  }

  /**
   * The last validation loss of the run, a resumed one included (it comes back with a checkpoint);
   * empty before the first validation.
   */
  public OptionalDouble lastValidationLoss() {
    return Double.isNaN(best.last()) ? OptionalDouble.empty() : OptionalDouble.of(best.last());
  }

  /**
   * The lowest validation loss of the run, a resumed one included; empty before the first
   * validation.
   */
  public OptionalDouble lowestValidationLoss() {
    return best.lowest() == Double.POSITIVE_INFINITY
        ? OptionalDouble.empty()
        : OptionalDouble.of(best.lowest());
  }

  /** The run's generator: the one given to the builder, or the one a resume restored. */
  public Random random() {
    return random;
  }

  public Optimizer optimizer() {
    return optimizer;
  }

  public Layer model() {
    return model;
  }

  /**
   * The anomalies met so far, oldest first, and the number of steps skipped: see {@link
   * AnomalyGuard}.
   */
  public AnomalyGuard guard() {
    return guard;
  }

  private ValidationEvent validate() {
    // Measured in evaluation mode, as PyTorch's model.eval(): dropout is the identity there.
    boolean training = model.isTraining();
    model.eval();
    Validation.Measured measured;
    try {
      measured = validation.measure(step, initialState, dtype);
    } finally {
      model.train(training);
    }
    ValidationEvent event =
        new ValidationEvent(
            steps, measured.loss(), measured.accuracy(), best.record(steps, measured.loss()));
    listeners.forEach(listener -> listener.onValidation(event));
    return event;
  }

  private Path save() {
    try {
      Path file =
          checkpoints.save(
              model,
              optimizer,
              random,
              steps,
              data.position(),
              data.windowStart(),
              state(),
              best.attributes());
      listeners.forEach(listener -> listener.onCheckpoint(steps, file));
      return file;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
