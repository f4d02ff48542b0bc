package dev.rewind.autodiff.ops.elementwise;

import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;

/** An element-wise op of one input, whose gradient is the output gradient times a derivative. */
abstract class UnaryOp extends Op {
  @Override
  protected final void checkInputs(Shape... shapes) {
    Arity.check(name(), 1, shapes);
  }

  @Override
  protected final Var[] backward(Var gradOutput) {
    return new Var[] {gradient(gradOutput)};
  }

  /** The gradient of the input, written with ops on {@link #input}(0) and {@link #output}(). */
  protected abstract Var gradient(Var gradOutput);

  protected final Var x() {
    return input(0);
  }
}
