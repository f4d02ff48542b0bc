package dev.rewind.autodiff.ops.elementwise;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * The logistic function {@code 1 / (1 + e^-x)}; its derivative {@code σ(1 - σ)} reuses the output,
 * in one fused op.
 */
public final class Sigmoid extends UnaryOp {
  @Override
  protected Tensor forward(Tensor... in) {
    return Pointwise.sigmoid(in[0]);
  }

  @Override
  protected Var gradient(Var gradOutput) {
    return new SigmoidBackward().apply(gradOutput, output());
  }
}
