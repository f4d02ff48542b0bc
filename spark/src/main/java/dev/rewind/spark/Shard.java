package dev.rewind.spark;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Consecutive training sequences whose loss is differentiated on one tape: shard {@code index}
 * holds sequences {@code index × size} onwards. Shards, not partitions, are the unit of summation,
 * so that the number of partitions does not change the result.
 *
 * @param index the shard's number, from 0
 * @param sequences its sequences, in order
 * @param <T> a training sequence
 */
record Shard<T>(long index, List<T> sequences) implements Serializable {
  Shard {
    checkArgument(index >= 0, "shard: index %s is negative", index);
    checkArgument(!sequences.isEmpty(), "shard %s: no sequences", index);
    sequences = new ArrayList<>(sequences); // serializable, whatever list it was given
  }

  /**
   * {@code sequences} cut into shards of {@code size} (the last may be shorter), numbered from 0.
   */
  static <T> List<Shard<T>> cut(List<T> sequences, int size) {
    checkArgument(size >= 1, "shards: size %s must be positive", size);
    List<Shard<T>> shards = new ArrayList<>();
    for (int start = 0; start < sequences.size(); start += size) {
      List<T> part = sequences.subList(start, Math.min(start + size, sequences.size()));
      shards.add(new Shard<>(shards.size(), part));
    }
    return shards;
  }
}
