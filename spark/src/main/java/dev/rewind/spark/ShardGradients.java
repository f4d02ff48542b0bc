package dev.rewind.spark;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.layers.Layer;
import dev.rewind.optim.ParameterGradients;
import dev.rewind.train.GradientTree;
import java.util.Iterator;
import java.util.List;

/**
 * The gradient of the mean loss over all training sequences, computed shard by shard and summed in
 * the {@link GradientTree}'s fixed order:
 *
 * <pre>
 *   J = Σ_s (n_s / N) · loss(shard s)        n_s sequences in shard s, N in all
 *   ∇J = the tree sum of ∇[(n_s / N) · loss(shard s)], each from its own tape
 * </pre>
 *
 * An executor computes the leaves of its shards with {@link #leaves}; {@link #compute} is the same
 * computation on one machine, the reference a data-parallel run equals bit for bit.
 */
public final class ShardGradients {
  private ShardGradients() {}

  /**
   * The gradient, and loss, of {@code model} on {@code sequences} cut into shards of {@code
   * shardSize}, on this machine: what {@link DataParallel#gradient} returns for the same shard
   * size, on any number of partitions.
   */
  public static <T> ParameterGradients compute(
      Layer model, SequenceLoss<T> loss, List<T> sequences, int shardSize) {
    checkArgument(!sequences.isEmpty(), "shard gradients: no training sequences");
    List<Shard<T>> shards = Shard.cut(sequences, shardSize);
    GradientTree tree = leaves(model, loss, shards.iterator(), sequences.size());
    return tree.total(shards.size()).toGradients(model.parameters());
  }

  /** The tree of the given shards' gradients, out of {@code total} sequences in all. */
  static <T> GradientTree leaves(
      Layer model, SequenceLoss<T> loss, Iterator<Shard<T>> shards, long total) {
    List<Parameter> parameters = model.parameters();
    GradientTree tree = GradientTree.empty();
    while (shards.hasNext()) {
      Shard<T> shard = shards.next();
      double weight = (double) shard.sequences().size() / total;
      tree.merge(
          GradientTree.leaf(
              shard.index(), parameters, weight, () -> loss.loss(model, shard.sequences())));
    }
    return tree;
  }
}
