package dev.rewind.autodiff.ops.elementwise;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * The smaller of {@code a} and {@code b} element by element, broadcasting; ties share the gradient.
 */
public final class Minimum extends BroadcastingOp {
  @Override
  protected Tensor forward(Tensor... in) {
    return Pointwise.zip(in[0], in[1], Math::min, name());
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    // a wins the minimum exactly where b wins the maximum.
    Tensor weightOfB = Pointwise.winnerWeight(inputValue(0), inputValue(1));
    return new Var[] {
      needsGradient(0)
          ? toInput(0, gradOutput.mul(Var.constant(Maximum.complement(weightOfB))))
          : null,
      needsGradient(1) ? toInput(1, gradOutput.mul(Var.constant(weightOfB))) : null
    };
  }
}
