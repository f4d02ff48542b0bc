package dev.rewind.autodiff.ops.elementwise;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Tensor;

/** {@code a - b}, broadcasting. */
public final class Sub extends BroadcastingOp {
  @Override
  protected Tensor forward(Tensor... in) {
    return Pointwise.sub(in[0], in[1]);
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    return new Var[] {
      toInput(0, gradOutput), needsGradient(1) ? toInput(1, gradOutput.neg()) : null
    };
  }
}
