/**
 * The training loop for recurrent models, and the pieces it is made of, each usable alone.
 *
 * <ol>
 *   <li>{@link dev.rewind.train.Trainer} — the loop: batches in, one optimizer step per batch or
 *       per window of k steps (truncated BPTT, the state carried and detached between windows),
 *       validation every N steps, early stopping, checkpoints every N steps and exact resume, a
 *       graceful stop; built with {@link dev.rewind.train.TrainerBuilder}.
 *   <li>{@link dev.rewind.train.Batch} and {@link dev.rewind.train.BatchSource} — what the loop
 *       reads: inputs, targets, a mask and whether the sequences continue the previous batch's, at
 *       a position; connect a dataset with a lambda.
 *   <li>{@link dev.rewind.train.TrainingStep} and {@link dev.rewind.train.StepResult} — what you
 *       write: the model over one batch from a given state, returning the loss, the final state and
 *       optionally the right predictions for accuracy.
 *   <li>{@link dev.rewind.train.TrainingListener} — hears {@link dev.rewind.train.StepEvent}s,
 *       {@link dev.rewind.train.ValidationEvent}s, checkpoints and the {@link
 *       dev.rewind.train.FitResult} with its {@link dev.rewind.train.StopReason}; the loop itself
 *       never prints.
 *   <li>{@link dev.rewind.train.AnomalyGuard} — one training step whose first NaN or ±Inf is
 *       reported ({@link dev.rewind.train.AnomalyReport}: step, parameter, op) and skipped or
 *       thrown ({@link dev.rewind.train.TrainingAnomalyException}) as the optimizer's policy says.
 *   <li>{@link dev.rewind.train.GracefulStop} — Ctrl-C stops at a step boundary, after a final
 *       checkpoint.
 *   <li>{@link dev.rewind.train.checkpoint} — the checkpoint files, folders and exact resume.
 * </ol>
 *
 * <h2>What belongs to whom</h2>
 *
 * <p>Clipping, learning-rate schedules and the policy for non-finite gradients belong to the
 * optimizer ({@code ClippedOptimizer}, {@code NonFinitePolicy}, {@code dev.rewind.optim.schedule}):
 * the loop takes any {@code Optimizer} and composes nothing of its own. The loop owns the order of
 * things: the data position, the carried state, when to validate and save. The step function owns
 * the model and the loss; it runs on the loop's tape and must not open one.
 */
@CheckReturnValue
package dev.rewind.train;

import com.google.errorprone.annotations.CheckReturnValue;
