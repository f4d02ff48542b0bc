package dev.rewind.spark;

import org.apache.spark.Partitioner;

/** Puts consecutive shards in the same partition: shard s of S goes to partition ⌊s · P / S⌋. */
final class ShardRanges extends Partitioner {
  private static final long serialVersionUID = 1L;

  private final long shards;
  private final int partitions;

  ShardRanges(long shards, int partitions) {
    this.shards = shards;
    this.partitions = partitions;
  }

  @Override
  public int numPartitions() {
    return partitions;
  }

  @Override
  public int getPartition(Object key) {
    return (int) ((Long) key * partitions / shards);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ShardRanges ranges
        && ranges.shards == shards
        && ranges.partitions == partitions;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(shards) * 31 + partitions;
  }
}
