package dev.rewind.autodiff.ops.elementwise;

import dev.rewind.autodiff.internal.BackwardKernels;
import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tensor.Shape;

/**
 * The backward rule of an activation as an op of its own, {@code (g, y) → dL/dx}, where {@code g =
 * dL/dy} and {@code y} is the activation's output: one fused kernel on the first-order path, and
 * still differentiable, for gradients of gradients.
 */
abstract class ActivationBackward extends Op {
  @Override
  protected final void checkInputs(Shape... shapes) {
    Arity.check(name(), 2, shapes);
    BackwardKernels.checkSameShape(name(), shapes[0], shapes[1]);
  }
}
