package dev.rewind.layers.seq;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.RecurrentCell;
import java.util.function.UnaryOperator;

/**
 * Cells and readouts written as lambdas over given values, so that a gradient check can vary them.
 */
final class Cells {
  private Cells() {}

  /** {@code h(t) = tanh(x(t) U + h(t−1) W + b)}, sized from U and W. */
  static RecurrentCell<HiddenState> tanh(Var u, Var w, Var b) {
    return RecurrentCell.of(
        u.shape().dim(0), w.shape().dim(0), (x, h) -> x.matmul(u).add(h.matmul(w)).add(b).tanh());
  }

  /** {@code y = o V + c}. */
  static UnaryOperator<Var> affine(Var v, Var c) {
    return o -> o.matmul(v).add(c);
  }
}
