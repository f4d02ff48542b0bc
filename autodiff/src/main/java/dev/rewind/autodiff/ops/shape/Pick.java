package dev.rewind.autodiff.ops.shape;

import dev.rewind.autodiff.internal.Columns;
import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * One element per row of a matrix: {@code [N, C]} and {@code N} columns give {@code [N]}, {@code
 * out[n] = m[n, columns[n]]}, as PyTorch's {@code m.gather(1, columns[:, None])}. Its gradient puts
 * each element back in its place ({@link Place}).
 */
public final class Pick extends Op {
  private final int[] columns;

  public Pick(int[] columns) {
    this.columns = columns.clone();
  }

  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 1, shapes);
    Columns.checkColumns(name(), shapes[0], columns);
  }

  @Override
  protected Tensor forward(Tensor... in) {
    return Columns.pick(in[0], columns);
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    return new Var[] {new Place(columns, input(0).shape().dim(1)).apply(gradOutput)};
  }
}
