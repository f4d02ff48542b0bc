package dev.rewind.autodiff.ops.shape;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/** The same elements, in the same row-major order, under another shape of the same size. */
public final class Reshape extends Op {
  private final Shape target;

  public Reshape(Shape target) {
    this.target = target;
  }

  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 1, shapes);
    checkArgument(
        shapes[0].size() == target.size(),
        "reshape: %s to %s: sizes %s and %s differ",
        shapes[0],
        target,
        shapes[0].size(),
        target.size());
  }

  @Override
  protected Tensor forward(Tensor... in) {
    return in[0].reshape(target);
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    return new Var[] {gradOutput.reshape(input(0).shape())};
  }
}
