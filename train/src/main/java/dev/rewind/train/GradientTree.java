package dev.rewind.train;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.optim.ParameterGradients;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Sums the gradients of numbered shards in one fixed order, whatever order they arrive in and
 * however they were grouped: the order of a binary tree over the shard numbers.
 *
 * <pre>
 *   block (level l, start s) covers shards s … s + 2^l − 1, s a multiple of 2^l
 *   block (l + 1, s) = block (l, s) + block (l, s + 2^l)          left + right, always
 *   total            = the blocks left when every shard is in, added left to right
 * </pre>
 *
 * A tree holds disjoint blocks and adds two siblings as soon as both are present; a block's value
 * depends only on the shards it covers, so merging partial trees in any order and grouping (as
 * Spark's {@code treeAggregate} does, in the order its tasks finish) gives the same bits. A
 * partition holds at most two blocks per level, so a partial tree is small.
 */
public final class GradientTree implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A sum of consecutive shards' gradients (one array per parameter) and losses. */
  private record Block(int level, double[][] gradients, double loss) implements Serializable {
    int width() {
      return 1 << level;
    }

    Block plus(Block right) {
      return new Block(level + 1, sum(gradients, right.gradients), loss + right.loss);
    }
  }

  private static double[][] sum(double[][] left, double[][] right) {
    double[][] sum = new double[left.length][];
    for (int p = 0; p < left.length; p++) {
      double[] a = left[p];
      double[] b = right[p];
      double[] c = new double[a.length];
      for (int i = 0; i < a.length; i++) {
        c[i] = a[i] + b[i];
      }
      sum[p] = c;
    }
    return sum;
  }

  // By the first shard each covers.
  private final TreeMap<Long, Block> blocks = new TreeMap<>();

  /** A tree of no shards. */
  public static GradientTree empty() {
    return new GradientTree();
  }

  /** A tree of shard {@code index} alone: its gradients (one array per parameter) and loss. */
  public static GradientTree leaf(long index, double[][] gradients, double loss) {
    GradientTree tree = new GradientTree();
    tree.add(index, new Block(0, gradients, loss));
    return tree;
  }

  /**
   * A tree of shard {@code index} alone: the gradient of {@code weight} × the scalar {@code loss}
   * with respect to {@code parameters}, differentiated on a tape of its own, in double (a float32
   * shard's gradients are widened, exactly, so the sum rounds once). {@code loss} runs the shard's
   * forward pass on that tape, which reuses its arrays ({@link Tape#recordRecycling()}): a value it
   * computes and wants kept past the shard must be read with {@code value()} before it returns.
   *
   * @throws IllegalArgumentException naming the shard and the shape, if the loss is not a scalar
   */
  public static GradientTree leaf(
      long index, List<Parameter> parameters, double weight, Supplier<Var> loss) {
    try (Tape tape = Tape.recordRecycling()) {
      Var shardLoss = loss.get();
      checkArgument(
          shardLoss.shape().size() == 1,
          "gradient tree: the loss of shard %s has shape %s, not a scalar",
          index,
          shardLoss.shape());
      Var weighted = shardLoss.mul(weight);
      Gradients gradients = tape.gradient(weighted, parameters);
      double[][] arrays = new double[parameters.size()][];
      for (int p = 0; p < arrays.length; p++) {
        arrays[p] = gradients.tensor(parameters.get(p)).toArray();
      }
      return leaf(index, arrays, weighted.value().item());
    }
  }

  /** Adds {@code other}'s shards to this tree and returns it. */
  @CanIgnoreReturnValue
  public GradientTree merge(GradientTree other) {
    for (Map.Entry<Long, Block> entry : other.blocks.entrySet()) {
      add(entry.getKey(), entry.getValue());
    }
    return this;
  }

  private void add(long start, Block block) {
    Map.Entry<Long, Block> before = blocks.floorEntry(start + block.width() - 1);
    checkArgument(
        before == null || before.getKey() + before.getValue().width() <= start,
        "gradient tree: shards %s to %s are summed twice",
        start,
        start + block.width() - 1);
    // Climb while the sibling is present: a left block's sibling starts after it, a right one's
    // before it; the sum is left + right either way.
    while (true) {
      long width = block.width();
      boolean left = start % (2 * width) == 0;
      long siblingStart = left ? start + width : start - width;
      Block sibling = blocks.get(siblingStart);
      if (sibling == null || sibling.level() != block.level()) {
        break;
      }
      blocks.remove(siblingStart);
      block = left ? block.plus(sibling) : sibling.plus(block);
      start = Math.min(start, siblingStart);
    }
    blocks.put(start, block);
  }

  /** The number of shards summed so far. */
  public long shards() {
    return blocks.values().stream().mapToLong(Block::width).sum();
  }

  /**
   * The sum over shards {@code 0 … count − 1}: the blocks left, added left to right.
   *
   * @throws IllegalStateException if the tree holds other shards than those
   */
  public Sum total(long count) {
    checkState(count > 0, "gradient tree: no shards to sum");
    checkState(
        shards() == count && blocks.lastKey() + blocks.lastEntry().getValue().width() == count,
        "gradient tree: holds %s shards, not the %s expected",
        shards(),
        count);
    double[][] gradients = null;
    double loss = 0;
    for (Block block : blocks.values()) {
      gradients = gradients == null ? block.gradients() : sum(gradients, block.gradients());
      loss += block.loss();
    }
    return new Sum(gradients, loss);
  }

  /** The total: one gradient array per parameter, and the loss. */
  public record Sum(double[][] gradients, double loss) {
    /**
     * The total as gradients of {@code parameters} (those the leaves were taken of, in that order),
     * each rounded once to its parameter's dtype, with the loss.
     */
    public ParameterGradients toGradients(List<Parameter> parameters) {
      checkArgument(
          parameters.size() == gradients.length,
          "gradient tree: %s parameters for a sum of %s gradients",
          parameters.size(),
          gradients.length);
      ParameterGradients.Builder builder = ParameterGradients.builder();
      for (int p = 0; p < gradients.length; p++) {
        Parameter parameter = parameters.get(p);
        builder.put(parameter, Tensor.of(parameter.shape(), parameter.dtype(), gradients[p]));
      }
      return builder.build().withLoss(loss);
    }
  }
}
