package dev.rewind.autodiff.ops.elementwise;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Tensor;

/** {@code x²}. */
public final class Square extends UnaryOp {
  @Override
  protected Tensor forward(Tensor... in) {
    return Pointwise.mul(in[0], in[0]);
  }

  @Override
  protected Var gradient(Var gradOutput) {
    return gradOutput.mul(x()).mul(2.0);
  }
}
