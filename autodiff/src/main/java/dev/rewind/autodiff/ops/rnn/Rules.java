package dev.rewind.autodiff.ops.rnn;

import dev.rewind.autodiff.ops.elementwise.SigmoidBackward;
import dev.rewind.autodiff.ops.elementwise.TanhBackward;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Tensor;

/** The derivatives of the gate activations, as ops: what the gate ops' second-order rules use. */
final class Rules {
  private Rules() {}

  /** {@code gradient y (1 − y)}, for {@code y = σ(x)}. */
  static Var sigmoidBackward(Var gradient, Var y) {
    return new SigmoidBackward().apply(gradient, y);
  }

  /** {@code gradient (1 − y²)}, for {@code y = tanh x}. */
  static Var tanhBackward(Var gradient, Var y) {
    return new TanhBackward().apply(gradient, y);
  }

  /**
   * {@code gradient}, or zeros of {@code like}'s shape where no gradient reached an output: the
   * second-order rules are written for every output's gradient.
   */
  static Var orZeros(Var gradient, Var like) {
    return gradient != null ? gradient : Var.constant(Tensor.zeros(like.shape(), like.dtype()));
  }

  /** {@code 1 − 2y}: the derivative of {@code y (1 − y)} with respect to {@code y}. */
  static Var oneMinusTwice(Var y) {
    return y.mul(-2.0).add(1.0);
  }
}
