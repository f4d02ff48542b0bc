package dev.rewind.train;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.rewind.layers.Layer;
import dev.rewind.layers.RecurrentState;
import dev.rewind.optim.Optimizer;
import dev.rewind.train.checkpoint.CheckpointFolder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * How a {@link Trainer} is configured: made by {@link Trainer#builder}, with a batch source and a
 * step function required, and every other part optional.
 *
 * @param <S> the model's recurrent state
 */
public final class TrainerBuilder<S extends RecurrentState<S>> {
  final Layer model;
  final Optimizer optimizer;
  final int batchSize;
  final IntFunction<S> initialState;
  BatchSource source;
  TrainingStep<S> step;
  int window;
  Validation validation;
  EarlyStopping earlyStopping;
  TrainerCheckpoints checkpoints;
  CheckpointFolder folder;
  long checkpointEvery;
  Map<String, String> attributes = Map.of();
  GracefulStop stop;
  Random random;
  AnomalyGuard.Detection detection = AnomalyGuard.Detection.REPLAY;
  final List<TrainingListener> listeners = new ArrayList<>();

  TrainerBuilder(Layer model, Optimizer optimizer, int batchSize, IntFunction<S> initialState) {
    checkArgument(model != null, "trainer: the model is null");
    checkArgument(optimizer != null, "trainer: the optimizer is null");
    checkArgument(batchSize >= 1, "trainer: batch size %s must be at least 1", batchSize);
    checkArgument(initialState != null, "trainer: the initial state function is null");
    this.model = model;
    this.optimizer = optimizer;
    this.batchSize = batchSize;
    this.initialState = initialState;
  }

  /** Where the training batches come from. Required. */
  @CanIgnoreReturnValue
  public TrainerBuilder<S> source(BatchSource source) {
    checkArgument(source != null, "trainer: the batch source is null");
    this.source = source;
    return this;
  }

  /** What a step computes from a batch: the loss, the final state, the accuracy. Required. */
  @CanIgnoreReturnValue
  public TrainerBuilder<S> step(TrainingStep<S> step) {
    checkArgument(step != null, "trainer: the step function is null");
    this.step = step;
    return this;
  }

  /**
   * Truncated BPTT: cuts each batch's time axis into windows of {@code steps} steps (the last may
   * be shorter), one optimizer step per window, the state carried from each window into the next
   * and detached, so gradients flow back at most {@code steps} steps. The targets and mask are cut
   * alike, so targets must be per step. Without it, each batch is one step.
   */
  @CanIgnoreReturnValue
  public TrainerBuilder<S> truncate(int steps) {
    checkArgument(steps >= 1, "trainer: truncate(%s): a window must be at least 1 step", steps);
    this.window = steps;
    return this;
  }

  /**
   * Measures the loss (and accuracy, if the step counts it) on the first {@code batches} batches of
   * {@code source} before the first step (unless already measured at that step), every {@code
   * everySteps} steps and after the last. Early stopping's best loss and count are saved with
   * checkpoints and resumed.
   */
  @CanIgnoreReturnValue
  public TrainerBuilder<S> validation(BatchSource source, int batches, long everySteps) {
    this.validation = new Validation(source, batches, everySteps);
    return this;
  }

  /**
   * Stops when {@code patience} validations in a row have not lowered the best validation loss by
   * more than {@code minDelta}. Needs {@link #validation}.
   */
  @CanIgnoreReturnValue
  public TrainerBuilder<S> earlyStopping(int patience, double minDelta) {
    this.earlyStopping = new EarlyStopping(patience, minDelta);
    return this;
  }

  /**
   * Saves a checkpoint into {@code folder} every {@code everySteps} steps and after the last:
   * parameters, optimizer state, the generator, the step, the data position, the carried state and
   * the {@link #attributes}. {@link Trainer#resume} restores the newest.
   */
  @CanIgnoreReturnValue
  public TrainerBuilder<S> checkpoints(CheckpointFolder folder, long everySteps) {
    checkArgument(folder != null, "trainer: the checkpoint folder is null");
    checkArgument(
        everySteps >= 1, "trainer: checkpoints every %s steps: must be at least 1", everySteps);
    this.folder = folder;
    this.checkpointEvery = everySteps;
    return this;
  }

  /** Strings saved with every checkpoint (a corpus name, the hyperparameters). */
  @CanIgnoreReturnValue
  public TrainerBuilder<S> attributes(Map<String, String> attributes) {
    this.attributes = Map.copyOf(attributes);
    return this;
  }

  /** Adds one string to those saved with every checkpoint, keeping the others. */
  @CanIgnoreReturnValue
  public TrainerBuilder<S> attribute(String key, String value) {
    Map<String, String> more = new HashMap<>(attributes);
    more.put(key, value);
    this.attributes = Map.copyOf(more);
    return this;
  }

  /** Stops at the next step boundary, with a final checkpoint, once {@code stop} is requested. */
  @CanIgnoreReturnValue
  public TrainerBuilder<S> stopOn(GracefulStop stop) {
    this.stop = stop;
    return this;
  }

  /**
   * The run's generator, handed to every step and saved with every checkpoint; a generator seeded
   * with 0 if not given.
   */
  @CanIgnoreReturnValue
  public TrainerBuilder<S> random(Random random) {
    checkArgument(random != null, "trainer: the random generator is null");
    this.random = random;
    return this;
  }

  /** When anomaly mode runs: see {@link AnomalyGuard.Detection}; {@code REPLAY} by default. */
  @CanIgnoreReturnValue
  public TrainerBuilder<S> anomalyDetection(AnomalyGuard.Detection detection) {
    this.detection = detection;
    return this;
  }

  @CanIgnoreReturnValue
  public TrainerBuilder<S> listener(TrainingListener listener) {
    checkArgument(listener != null, "trainer: the listener is null");
    listeners.add(listener);
    return this;
  }

  /**
   * The trainer.
   *
   * @throws IllegalStateException naming what is missing or does not fit together
   */
  public Trainer<S> build() {
    checkState(source != null, "trainer: no batch source: call source(position -> batch)");
    checkState(step != null, "trainer: no step function: call step((batch, state, random) -> ...)");
    if (random == null) {
      random = new Random(0);
    }
    checkState(
        earlyStopping == null || validation != null,
        "trainer: early stopping needs validation(source, batches, everySteps)");
    if (folder != null) {
      checkpoints = new TrainerCheckpoints(folder, checkpointEvery, attributes);
    } else {
      checkState(attributes.isEmpty(), "trainer: attributes are saved only with checkpoints");
    }
    return new Trainer<>(this);
  }
}
