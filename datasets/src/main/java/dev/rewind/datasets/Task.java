package dev.rewind.datasets;

import java.util.Random;

/**
 * A generator of training data: a batch of {@code sequences} fresh examples drawn from a {@link
 * Random}. Every draw comes from that one source, in a fixed order, so the same seed gives the same
 * batch on every run and every machine.
 *
 * @param <B> the batch it produces, such as {@link SequenceBatch} or {@link ClassBatch}
 */
public interface Task<B> {

  /** Draws {@code sequences} examples from {@code random}, advancing it. */
  B generate(int sequences, Random random);

  /** Draws {@code sequences} examples from a fresh {@code new Random(seed)}. */
  default B generate(int sequences, long seed) {
    return generate(sequences, new Random(seed));
  }
}
