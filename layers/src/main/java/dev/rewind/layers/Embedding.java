package dev.rewind.layers;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.Random;

/**
 * A table of {@code [vocabulary, dimension]} vectors looked up by index: the dense alternative to a
 * one-hot input (note 000's "hello" model). Its gradient is a scatter-add into the rows used.
 */
public final class Embedding extends Layer {
  private final Parameter table;

  /** A table drawn from a standard normal, as PyTorch's {@code nn.Embedding}. */
  public Embedding(int vocabulary, int dimension, Random random) {
    this(Tensor.randomNormal(Shape.of(vocabulary, dimension), 0, 1, random));
  }

  public Embedding(Tensor table) {
    checkArgument(
        table.rank() == 2,
        "Embedding: table must be [vocabulary, dimension], was %s",
        table.shape());
    this.table = parameter("weight", table);
  }

  /** The rows for {@code indices}: {@code [indices.length, dimension]}. */
  public Var apply(int... indices) {
    return table.gather(indices);
  }

  /** The rows for a batch of sequences of indices: {@code [batch, time, dimension]}. */
  public Var apply(int[][] indices) {
    int batch = indices.length;
    int steps = batch == 0 ? 0 : indices[0].length;
    int[] flat = new int[batch * steps];
    for (int b = 0; b < batch; b++) {
      checkArgument(
          indices[b].length == steps,
          "Embedding: sequence %s has %s steps but sequence 0 has %s",
          b,
          indices[b].length,
          steps);
      System.arraycopy(indices[b], 0, flat, b * steps, steps);
    }
    return table.gather(flat).reshape(batch, steps, table.shape().dim(1));
  }

  public Parameter weight() {
    return table;
  }
}
