package dev.rewind.autodiff.ops.elementwise;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Tensor;

/** {@code -x}. */
public final class Neg extends UnaryOp {
  @Override
  protected Tensor forward(Tensor... in) {
    return Pointwise.scale(in[0], -1.0);
  }

  @Override
  protected Var gradient(Var gradOutput) {
    return gradOutput.neg();
  }
}
