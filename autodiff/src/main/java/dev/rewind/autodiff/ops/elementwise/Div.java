package dev.rewind.autodiff.ops.elementwise;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Tensor;

/** {@code a / b} element by element, broadcasting. */
public final class Div extends BroadcastingOp {
  @Override
  protected Tensor forward(Tensor... in) {
    return Pointwise.div(in[0], in[1]);
  }

  /** d(a/b)/da = 1/b; d(a/b)/db = -a/b² = -output/b. */
  @Override
  protected Var[] backward(Var gradOutput) {
    return new Var[] {
      needsGradient(0) ? toInput(0, gradOutput.div(input(1))) : null,
      needsGradient(1) ? toInput(1, gradOutput.mul(output()).div(input(1)).neg()) : null
    };
  }
}
