package dev.rewind.autodiff.ops.reduce;

import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Reductions;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * {@code softmax(x)_i = e^{x_i} / Σ_j e^{x_j}} along an axis.
 *
 * <pre>
 *   forward:  y = e^{x - max x} / Σ e^{x - max x}      (the shift keeps logits of ±1000 finite)
 *   backward: dx = y ⊙ (g - Σ_axis g ⊙ y)
 * </pre>
 */
public final class Softmax extends Op {
  private final int axis;
  private int resolvedAxis;

  public Softmax(int axis) {
    this.axis = axis;
  }

  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 1, shapes);
    resolvedAxis = shapes[0].axis(axis, name());
  }

  @Override
  protected Tensor forward(Tensor... in) {
    return Reductions.softmax(in[0], resolvedAxis);
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    Var y = output();
    return new Var[] {y.mul(gradOutput.sub(gradOutput.mul(y).sum(resolvedAxis, true)))};
  }
}
