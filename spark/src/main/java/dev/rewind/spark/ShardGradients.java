package dev.rewind.spark;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.layers.Layer;
import dev.rewind.optim.ParameterGradients;
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
    return toParameterGradients(model, tree.total(shards.size()));
  }

  /** The tree of the given shards' gradients, out of {@code total} sequences in all. */
  static <T> GradientTree leaves(
      Layer model, SequenceLoss<T> loss, Iterator<Shard<T>> shards, long total) {
    List<Parameter> parameters = model.parameters();
    GradientTree tree = GradientTree.empty();
    while (shards.hasNext()) {
      Shard<T> shard = shards.next();
      try (Tape tape = Tape.record()) {
        Var shardLoss = loss.loss(model, shard.sequences());
        checkArgument(
            shardLoss.shape().size() == 1,
            "shard gradients: the loss of shard %s has shape %s, not a scalar",
            shard.index(),
            shardLoss.shape());
        Var weighted = shardLoss.mul((double) shard.sequences().size() / total);
        Gradients gradients = tape.gradient(weighted, parameters);
        double[][] arrays = new double[parameters.size()][];
        for (int p = 0; p < arrays.length; p++) {
          arrays[p] = gradients.tensor(parameters.get(p)).toArray();
        }
        tree.merge(GradientTree.leaf(shard.index(), arrays, weighted.value().item()));
      }
    }
    return tree;
  }

  /**
   * The tree's total as gradients of {@code model}'s parameters, with the loss. The shards' float32
   * gradients are summed in double and rounded once here, to each parameter's dtype.
   */
  static ParameterGradients toParameterGradients(Layer model, GradientTree.Sum sum) {
    List<Parameter> parameters = model.parameters();
    ParameterGradients.Builder builder = ParameterGradients.builder();
    for (int p = 0; p < parameters.size(); p++) {
      Parameter parameter = parameters.get(p);
      builder.put(
          parameter,
          dev.rewind.autodiff.tensor.Tensor.of(parameter.value().shape(), sum.gradients()[p])
              .to(parameter.dtype()));
    }
    return builder.build().withLoss(sum.loss());
  }
}
