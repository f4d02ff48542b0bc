package dev.rewind.train;

/**
 * Where a {@link Trainer} reads its batches: {@code batch(position)} for positions 0, 1, 2, … The
 * batch must be a function of the position alone, so that the data position saved in a checkpoint
 * gives the resumed run the same batches. Connect a dataset with a lambda:
 *
 * <pre>{@code
 * BatchSource source = position -> {
 *   SequenceBatch b = task.generate(32, new Random(seed + position));
 *   return Batch.masked(b.inputs(), b.targets(), b.mask());
 * };
 * }</pre>
 */
@FunctionalInterface
public interface BatchSource {

  /** The batch at {@code position}; the same batch every time it is asked for. */
  Batch batch(long position);
}
