package dev.rewind.autodiff.ops.shape;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * Rows of a table by index, the embedding lookup: {@code [V, d]} and {@code n} indices give {@code
 * [n, d]}. The gradient adds each output row back into the row it came from ({@link ScatterAdd}),
 * so a row looked up twice gets both gradients.
 */
public final class Gather extends Op {
  private final int[] indices;

  public Gather(int[] indices) {
    this.indices = indices.clone();
  }

  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 1, shapes);
    checkArgument(
        shapes[0].rank() >= 1, "gather: the table must have rows, but has shape %s", shapes[0]);
    int rows = shapes[0].dim(0);
    for (int i = 0; i < indices.length; i++) {
      checkArgument(
          indices[i] >= 0 && indices[i] < rows,
          "gather: index %s at position %s is out of range [0, %s) for table %s",
          indices[i],
          i,
          rows,
          shapes[0]);
    }
  }

  @Override
  protected Tensor forward(Tensor... in) {
    return Layout.gatherRows(in[0], indices);
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    return new Var[] {gradOutput.scatterAdd(indices, input(0).shape().dim(0))};
  }
}
