package dev.rewind.autodiff.ops.elementwise;

import dev.rewind.autodiff.internal.BackwardKernels;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * The backward rule of {@link Sigmoid} as one op: {@code sigmoidBackward(g, y) = g y (1 − y)},
 * where {@code y = σ(x)}. Being an op, it is itself differentiable, so gradients of gradients
 * through the sigmoid work.
 *
 * <pre>
 *   backward: dg = sigmoidBackward(gOut, y),   dy = g (1 − 2y) gOut
 * </pre>
 */
public final class SigmoidBackward extends ActivationBackward {
  @Override
  public String name() {
    return "sigmoidBackward";
  }

  @Override
  protected Tensor forward(Tensor... in) {
    return BackwardKernels.sigmoid(in[0], in[1]);
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    Var g = input(0);
    Var y = input(1);
    return new Var[] {
      needsGradient(0) ? new SigmoidBackward().apply(gradOutput, y) : null,
      needsGradient(1) ? gradOutput.mul(g).mul(y.mul(-2.0).add(1.0)) : null
    };
  }
}
