package dev.rewind.autodiff.ops.elementwise;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Tensor;

/** The square root; its derivative {@code 1 / (2 sqrt(x))} reuses the output. */
public final class Sqrt extends UnaryOp {
  @Override
  protected Tensor forward(Tensor... in) {
    return Pointwise.sqrt(in[0]);
  }

  @Override
  protected Var gradient(Var gradOutput) {
    return gradOutput.div(output().mul(2.0));
  }
}
