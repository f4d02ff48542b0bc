package dev.rewind.train;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Parallelism;
import dev.rewind.optim.ParameterGradients;
import java.util.List;

/**
 * Data-parallel training on this machine's cores: the gradient of a loss averaged over a batch's
 * rows, with the rows cut into shards of a fixed size. Each shard runs forward and backward on a
 * tape of its own, on one of the kernels' threads ({@link Parallelism#forEach}), and the shards'
 * gradients are summed in a {@link GradientTree}'s fixed order:
 *
 * <pre>
 *   J  = Σ_s (n_s / N) · J_s        J_s the mean loss over shard s's n_s rows, N rows in all
 *   ∇J = the tree sum of ∇[(n_s / N) · J_s], in double, rounded once to each parameter's dtype
 * </pre>
 *
 * A whole shard is a coarse piece of work: at hidden 128 a step's products are too small to share
 * between threads, but a shard's whole sequence is not. The shards depend on the batch and {@code
 * rowsPerShard} alone, and the order of the sum on the shards alone, so the gradient has the same
 * bits on any number of threads, and is what Spark's data-parallel training computes for the same
 * shards. It is not the bits of the unsharded batch: sharding is a choice of the run, as a batch
 * size is, and one thread runs the same shards one after the other.
 *
 * <pre>{@code
 * BatchShards shards = BatchShards.ofRows(16);
 * ParameterGradients gradients =
 *     shards.gradient(parameters, batch.size(), (from, to) -> {
 *       Batch shard = batch.rows(from, to);
 *       Var outputs = model.run(Var.constant(shard.inputs())).stacked();
 *       return Losses.meanSquaredError(outputs, Var.constant(shard.targets()));
 *     });
 * optimizer.step(gradients);
 * }</pre>
 *
 * <p>The loss must be a mean over the shard's rows (and, within a row, over whatever the batch's
 * loss averages), so that the weighted shard losses add up to the batch's. Shards run concurrently:
 * the loss function may read the model but must not change what other shards read, and should draw
 * random numbers (dropout) from a generator of the shard's own, seeded by its rows.
 */
public final class BatchShards {
  private final int rowsPerShard;

  private BatchShards(int rowsPerShard) {
    this.rowsPerShard = rowsPerShard;
  }

  /**
   * Shards of {@code rowsPerShard} rows, the last one possibly shorter; throws, naming the value,
   * unless it is at least 1.
   */
  public static BatchShards ofRows(int rowsPerShard) {
    checkArgument(
        rowsPerShard >= 1, "batch shards: %s rows per shard; need at least 1", rowsPerShard);
    return new BatchShards(rowsPerShard);
  }

  /** The rows of every shard but possibly the last. */
  public int rowsPerShard() {
    return rowsPerShard;
  }

  /** The number of shards a batch of {@code rows} rows is cut into. */
  public int count(int rows) {
    checkArgument(rows >= 1, "batch shards: a batch of %s rows; need at least 1", rows);
    return (rows - 1) / rowsPerShard + 1;
  }

  /**
   * The gradient of the mean loss over a batch of {@code rows} rows with respect to {@code
   * parameters}, with the loss ({@link ParameterGradients#loss}): {@code loss} is called once per
   * shard, on the thread that differentiates it, inside a tape of that thread's.
   *
   * @throws IllegalArgumentException if a shard's loss is not a scalar, naming the shard; the first
   *     exception a shard's loss throws is rethrown
   */
  public ParameterGradients gradient(List<Parameter> parameters, int rows, ShardLoss loss) {
    int count = count(rows);
    GradientTree[] leaves = new GradientTree[count];
    Parallelism.forEach(
        count,
        shard -> {
          int from = shard * rowsPerShard;
          int to = Math.min(rows, from + rowsPerShard);
          double weight = (double) (to - from) / rows;
          leaves[shard] =
              GradientTree.leaf(shard, parameters, weight, () -> loss.meanLoss(from, to));
        });
    GradientTree tree = GradientTree.empty();
    for (GradientTree leaf : leaves) {
      tree.merge(leaf);
    }
    return tree.total(count).toGradients(parameters);
  }

  @Override
  public String toString() {
    return "BatchShards(" + rowsPerShard + " rows)";
  }

  /** The loss of one shard. */
  @FunctionalInterface
  public interface ShardLoss {
    /**
     * The loss averaged over rows {@code [from, to)} of the batch, a scalar recorded on the calling
     * thread's tape. It must not open a tape of its own. That tape reuses its arrays when the shard
     * is done ({@code Tape.recordRecycling()}): read with {@code value()} any value to keep.
     */
    Var meanLoss(int from, int to);
  }
}
