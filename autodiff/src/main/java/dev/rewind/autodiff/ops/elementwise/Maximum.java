package dev.rewind.autodiff.ops.elementwise;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * The larger of {@code a} and {@code b} element by element, broadcasting; ties share the gradient.
 */
public final class Maximum extends BroadcastingOp {
  @Override
  protected Tensor forward(Tensor... in) {
    return Pointwise.zip(in[0], in[1], Math::max, name());
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    Tensor weightOfA = Pointwise.winnerWeight(inputValue(0), inputValue(1));
    return new Var[] {
      needsGradient(0) ? toInput(0, gradOutput.mul(Var.constant(weightOfA))) : null,
      needsGradient(1) ? toInput(1, gradOutput.mul(Var.constant(complement(weightOfA)))) : null
    };
  }

  static Tensor complement(Tensor weight) {
    return Pointwise.map(weight, w -> 1.0 - w);
  }
}
