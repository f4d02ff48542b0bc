package dev.rewind.autodiff.ops.elementwise;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Tensor;

/** {@code tanh(x)}; its derivative {@code 1 - tanh²(x)} reuses the output, in one fused op. */
public final class Tanh extends UnaryOp {
  @Override
  protected Tensor forward(Tensor... in) {
    return Pointwise.tanh(in[0]);
  }

  @Override
  protected Var gradient(Var gradOutput) {
    return new TanhBackward().apply(gradOutput, output());
  }
}
