package dev.rewind.autodiff.ops.elementwise;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Tensor;

/** {@code a * b} element by element, broadcasting. */
public final class Mul extends BroadcastingOp {
  @Override
  protected Tensor forward(Tensor... in) {
    return Pointwise.mul(in[0], in[1]);
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    return new Var[] {
      needsGradient(0) ? toInput(0, gradOutput.mul(input(1))) : null,
      needsGradient(1) ? toInput(1, gradOutput.mul(input(0))) : null
    };
  }
}
