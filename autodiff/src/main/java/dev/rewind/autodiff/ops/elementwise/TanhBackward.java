package dev.rewind.autodiff.ops.elementwise;

import dev.rewind.autodiff.internal.BackwardKernels;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * The backward rule of {@link Tanh} as one op: {@code tanhBackward(g, y) = g (1 − y²)}, where
 * {@code y = tanh x}. Being an op, it is itself differentiable, so gradients of gradients through
 * tanh work.
 *
 * <pre>
 *   backward: dg = tanhBackward(gOut, y),   dy = −2 y g gOut
 * </pre>
 */
public final class TanhBackward extends ActivationBackward {
  @Override
  public String name() {
    return "tanhBackward";
  }

  @Override
  protected Tensor forward(Tensor... in) {
    return BackwardKernels.tanh(in[0], in[1]);
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    Var g = input(0);
    Var y = input(1);
    return new Var[] {
      needsGradient(0) ? new TanhBackward().apply(gradOutput, y) : null,
      needsGradient(1) ? gradOutput.mul(g).mul(y).mul(-2.0) : null
    };
  }
}
