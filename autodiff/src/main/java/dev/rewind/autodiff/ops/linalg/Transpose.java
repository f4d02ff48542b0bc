package dev.rewind.autodiff.ops.linalg;

import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/** Swaps two axes; its gradient swaps them back. */
public final class Transpose extends Op {
  private final int axis1;
  private final int axis2;
  private int first;
  private int second;

  public Transpose(int axis1, int axis2) {
    this.axis1 = axis1;
    this.axis2 = axis2;
  }

  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 1, shapes);
    first = shapes[0].axis(axis1, name());
    second = shapes[0].axis(axis2, name());
  }

  @Override
  protected Tensor forward(Tensor... in) {
    return Layout.transpose(in[0], first, second);
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    return new Var[] {gradOutput.transpose(first, second)};
  }
}
