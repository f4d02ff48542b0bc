package dev.rewind.autodiff.ops.shape;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * Adds row {@code i} of the input into row {@code indices[i]} of a zero table: the gradient of
 * {@link Gather}, and gathered back by its own gradient.
 */
public final class ScatterAdd extends Op {
  private final int[] indices;
  private final int rowCount;

  public ScatterAdd(int[] indices, int rowCount) {
    this.indices = indices.clone();
    this.rowCount = rowCount;
  }

  @Override
  public String name() {
    return "scatterAdd";
  }

  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 1, shapes);
    checkArgument(
        shapes[0].rank() >= 1 && shapes[0].dim(0) == indices.length,
        "scatterAdd: %s rows for %s indices",
        shapes[0],
        indices.length);
    for (int i = 0; i < indices.length; i++) {
      checkArgument(
          indices[i] >= 0 && indices[i] < rowCount,
          "scatterAdd: index %s at position %s is out of range [0, %s)",
          indices[i],
          i,
          rowCount);
    }
  }

  @Override
  protected Tensor forward(Tensor... in) {
    return Layout.scatterAddRows(in[0], indices, rowCount);
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    return new Var[] {gradOutput.gather(indices)};
  }
}
