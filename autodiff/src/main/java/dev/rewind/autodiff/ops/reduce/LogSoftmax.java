package dev.rewind.autodiff.ops.reduce;

import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Reductions;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.SoftmaxPair;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * {@code log softmax(x)} along an axis. The exponentials of the forward pass also give the softmax,
 * which the backward pass reuses instead of exponentiating again.
 *
 * <pre>
 *   forward:  y = (x - m) - log Σ e^{x - m},  m = max x   (finite for logits of ±1000)
 *   backward: dx = g - e^y ⊙ Σ_axis g      (one op, LogSoftmaxBackward, reusing e^y from forward)
 * </pre>
 */
public final class LogSoftmax extends Op {
  private final int axis;
  private int resolvedAxis;
  // e^y from the forward pass, for the backward one: a constant of this application.
  private Tensor probabilities;

  public LogSoftmax(int axis) {
    this.axis = axis;
  }

  @Override
  public String name() {
    return "logSoftmax";
  }

  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 1, shapes);
    resolvedAxis = shapes[0].axis(axis, name());
  }

  @Override
  protected Tensor forward(Tensor... in) {
    SoftmaxPair pair = Reductions.logSoftmaxWithSoftmax(in[0], resolvedAxis);
    probabilities = pair.probabilities();
    return pair.logProbabilities();
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    return new Var[] {
      new LogSoftmaxBackward(resolvedAxis, probabilities).apply(gradOutput, output())
    };
  }
}
