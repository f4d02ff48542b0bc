package dev.rewind.autodiff.ops.reduce;

import dev.rewind.autodiff.internal.Columns;
import dev.rewind.autodiff.internal.PickedLogSoftmax;
import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * The log-probability of one class per row: {@code out[n] = logSoftmax(m)[n, columns[n]]} for
 * logits {@code m [N, C]}, the same numbers as {@code m.logSoftmax(-1).pick(columns)} in one op.
 * Cross-entropy needs nothing more: the forward pass keeps the softmax instead of a matrix of
 * log-probabilities, and the backward pass is one kernel instead of a scatter and a log-softmax
 * gradient over {@code [N, C]}.
 *
 * <pre>
 *   forward:  out[n] = (m[n, t] − max) − log Σ_c e^(m[n, c] − max),   t = columns[n]
 *   backward: dm[n, c] = g[n] (δ(c, t) − softmax(m)[n, c])   (PickLogSoftmaxBackward, reusing the softmax)
 * </pre>
 */
public final class PickLogSoftmax extends Op {
  private final int[] columns;
  // The softmax from the forward pass, for the backward one: a constant of this application.
  private Tensor probabilities;

  public PickLogSoftmax(int[] columns) {
    this.columns = columns.clone();
  }

  @Override
  public String name() {
    return "pickLogSoftmax";
  }

  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 1, shapes);
    Columns.checkColumns(name(), shapes[0], columns);
  }

  @Override
  protected Tensor forward(Tensor... in) {
    PickedLogSoftmax result = Columns.pickLogSoftmax(in[0], columns);
    probabilities = result.probabilities();
    return result.picked();
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    return new Var[] {
      new PickLogSoftmaxBackward(columns, probabilities).apply(gradOutput, input(0))
    };
  }
}
