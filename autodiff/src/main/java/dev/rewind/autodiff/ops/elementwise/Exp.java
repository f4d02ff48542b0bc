package dev.rewind.autodiff.ops.elementwise;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Tensor;

/** {@code e^x}; its derivative is its output. */
public final class Exp extends UnaryOp {
  @Override
  protected Tensor forward(Tensor... in) {
    return Pointwise.exp(in[0]);
  }

  @Override
  protected Var gradient(Var gradOutput) {
    return gradOutput.mul(output());
  }
}
