package dev.rewind.autodiff.ops.reduce;

import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Reductions;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/** The sum of every element, as a scalar; its gradient is the output gradient everywhere. */
public final class Sum extends Op {
  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 1, shapes);
  }

  @Override
  protected Tensor forward(Tensor... in) {
    return Reductions.sum(in[0]);
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    return new Var[] {gradOutput.broadcastTo(input(0).shape())};
  }
}
