/**
 * Training that loses nothing: checkpoints, exact resume, anomalies, a clean stop.
 *
 * <ol>
 *   <li>{@link dev.rewind.train.checkpoint.Checkpoint} — one file holding the parameters, the
 *       optimizer's state, the random generator's state, the step, the data position and the
 *       carried recurrent state; written atomically, read back only after every check passes, all
 *       or nothing.
 *   <li>{@link dev.rewind.train.checkpoint.CheckpointFolder} — {@code step-000120.ckpt} files,
 *       keeping the last K; restores the newest intact one, passing over damaged ones, after a
 *       {@link dev.rewind.train.checkpoint.RestoreCheck} of the caller's has accepted it.
 *   <li>{@link dev.rewind.train.checkpoint.Progress} — the step, the data position, the carried
 *       state, the caller's attributes; any recurrent state is carried as the named tensors of
 *       {@link dev.rewind.layers.RecurrentState#tensors} and rebuilt with {@link
 *       dev.rewind.layers.RecurrentState#withTensors}.
 *   <li>{@link dev.rewind.train.checkpoint.RandomState} — a {@code java.util.Random}'s exact state:
 *       saved with each checkpoint, and copied so that a replayed step draws the same numbers.
 *   <li>{@link dev.rewind.train.checkpoint.CheckpointException} — a checkpoint that cannot be
 *       written or used, naming the file and the first difference; {@link
 *       dev.rewind.train.checkpoint.NoIntactCheckpointException} when every one in a folder is
 *       damaged.
 *   <li>{@link dev.rewind.train.AnomalyGuard} — a training step whose first NaN or ±Inf is reported
 *       ({@link dev.rewind.train.AnomalyReport}: step, parameter, op) and skipped or thrown ({@link
 *       dev.rewind.train.TrainingAnomalyException}) as the optimizer's policy says.
 *   <li>{@link dev.rewind.train.GracefulStop} — stop at a step boundary on Ctrl-C, save, then exit.
 * </ol>
 *
 * <h2>Exact resume</h2>
 *
 * <p>Training {@code N} steps, saving, loading in a fresh process and training {@code N} more gives
 * parameters equal bit for bit to {@code 2N} uninterrupted steps, provided that the loop draws
 * every random number from the restored generator, draws its data from the restored position,
 * starts from the restored carried state, and builds the model and optimizer with the same
 * hyperparameters.
 */
@CheckReturnValue
package dev.rewind.train.checkpoint;

import com.google.errorprone.annotations.CheckReturnValue;
