package dev.rewind.train;

/**
 * Where a {@link Trainer} reads its batches: {@code batch(position)} for positions 0, 1, 2, …, in
 * order. For a run that is checkpointed the batch must be a function of the position alone, so that
 * the data position saved in a checkpoint gives the resumed run the same batches (a resume inside a
 * batch cut into windows reads that batch again). A run that is never resumed may draw each batch
 * from a generator of its own: the trainer asks for each position once, in order. Connect a dataset
 * with a lambda:
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
