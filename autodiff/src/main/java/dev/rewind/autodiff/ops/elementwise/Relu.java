package dev.rewind.autodiff.ops.elementwise;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Tensor;

/** {@code max(x, 0)}; its gradient at 0 is 0, as in PyTorch. */
public final class Relu extends UnaryOp {
  @Override
  protected Tensor forward(Tensor... in) {
    return Pointwise.relu(in[0]);
  }

  @Override
  protected Var gradient(Var gradOutput) {
    return gradOutput.mul(Var.constant(Pointwise.positiveMask(inputValue(0))));
  }
}
