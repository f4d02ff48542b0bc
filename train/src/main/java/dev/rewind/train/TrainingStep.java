package dev.rewind.train;

import java.util.Random;

/**
 * What a training step computes from a batch: the loss (from which the {@link Trainer} takes the
 * gradients), the state the sequences end in, and optionally how many predictions were right. The
 * trainer calls it on an open tape for training and with recording off for validation; it must not
 * open a tape of its own.
 *
 * <pre>{@code
 * TrainingStep<LstmState> step = (batch, state, random) -> {
 *   Recurrent.Unrolled<LstmState> run = model.run(Var.constant(batch.inputs()), state, batch.mask());
 *   Var loss = Losses.meanSquaredError(run.stacked(), Var.constant(batch.targets()));
 *   return StepResult.of(loss, run.finalState());
 * };
 * }</pre>
 *
 * @param <S> the model's recurrent state
 */
@FunctionalInterface
public interface TrainingStep<S> {

  /**
   * Runs the model over {@code batch} from {@code state}.
   *
   * @param state the state carried from the previous batch or window, or the initial state when the
   *     batch starts new sequences
   * @param random the run's generator, saved with every checkpoint: draw dropout or noise from it,
   *     never from one of your own, so that a resumed run draws the same numbers. Validation gets a
   *     generator of its own, seeded with 0 each time, so it never disturbs training. A step whose
   *     loss or gradients are not finite is run once more in anomaly mode, to find the op at fault,
   *     with a copy of this generator as it was before the step: the replay draws the same numbers,
   *     and the run's generator ends as if there had been no replay.
   */
  StepResult<S> run(Batch batch, S state, Random random);
}
