package dev.rewind.autodiff.ops.elementwise;

import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;

/**
 * A binary element-wise op whose operands broadcast as in NumPy. The gradient of a broadcast
 * operand is summed back down to the operand's shape.
 */
abstract class BroadcastingOp extends Op {
  @Override
  protected final void checkInputs(Shape... shapes) {
    Arity.check(name(), 2, shapes);
    Shape unused = shapes[0].broadcast(shapes[1], name());
  }

  /** {@code gradient}, summed down to the shape of input {@code index}, or null if not needed. */
  protected final Var toInput(int index, Var gradient) {
    return needsGradient(index) ? gradient.sumTo(input(index).shape()) : null;
  }
}
