package dev.rewind.autodiff.ops.reduce;

import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Reductions;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * {@code log softmax(x)} along an axis, computed without forming the softmax.
 *
 * <pre>
 *   forward:  y = (x - m) - log Σ e^{x - m},  m = max x   (finite for logits of ±1000)
 *   backward: dx = g - e^y ⊙ Σ_axis g
 * </pre>
 */
public final class LogSoftmax extends Op {
  private final int axis;
  private int resolvedAxis;

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
    return Reductions.logSoftmax(in[0], resolvedAxis);
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    return new Var[] {gradOutput.sub(output().exp().mul(gradOutput.sum(resolvedAxis, true)))};
  }
}
