package dev.rewind.train;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.layers.RecurrentState;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * The validation loss: the step function over the first {@code batches} batches of a source, with
 * nothing recorded and the state carried from batch to batch where a batch continues the previous
 * one, as in training.
 */
final class Validation {
  private final BatchSource source;
  private final int batches;
  private final long every;

  Validation(BatchSource source, int batches, long every) {
    checkArgument(source != null, "trainer: the validation source is null");
    checkArgument(batches >= 1, "trainer: validation on %s batches: must be at least 1", batches);
    checkArgument(every >= 1, "trainer: validation every %s steps: must be at least 1", every);
    this.source = source;
    this.batches = batches;
    this.every = every;
  }

  boolean due(long step, long untilStep) {
    return step % every == 0 || step == untilStep;
  }

  /**
   * The loss, weighted by each batch's counted predictions (equally when none counts), and the
   * accuracy.
   */
  <S extends RecurrentState<S>> Measured measure(
      TrainingStep<S> step, IntFunction<S> initialState, DType dtype) {
    double weightedLoss = 0;
    double weights = 0;
    long correct = 0;
    long counted = 0;
    S carried = null;
    // Its own generator, seeded alike every time: validation never moves the run's generator.
    Random random = new Random(0);
    try (Tape.NoGradScope scope = Tape.noGrad()) {
      for (long position = 0; position < batches; position++) {
        Batch batch = source.batch(position).to(dtype);
        S start = batch.continues() && carried != null ? carried : initialState.apply(batch.size());
        StepResult<S> result = step.run(batch, start, random);
        double weight = result.counted() > 0 ? result.counted() : 1;
        weightedLoss += result.loss().value().item() * weight;
        weights += weight;
        correct += result.correct();
        counted += result.counted();
        carried = result.finalState();
      }
    }
    return new Measured(
        weightedLoss / weights,
        counted == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) correct / counted));
  }

  record Measured(double loss, OptionalDouble accuracy) {}
}
