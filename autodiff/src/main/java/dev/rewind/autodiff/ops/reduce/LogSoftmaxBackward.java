package dev.rewind.autodiff.ops.reduce;

import dev.rewind.autodiff.internal.BackwardKernels;
import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * The backward rule of {@link LogSoftmax} as one op: {@code logSoftmaxBackward(g, y) = g − e^y
 * Σ_axis g}, where {@code y = logSoftmax(x)}. The softmax {@code e^y} is the one the forward pass
 * computed, when it is handed over, so the first-order backward pass takes no exponential; being an
 * op, the rule is itself differentiable.
 *
 * <pre>
 *   backward: dg = gOut − Σ_axis(gOut ⊙ e^y),   dy = −gOut ⊙ e^y ⊙ Σ_axis g
 * </pre>
 */
public final class LogSoftmaxBackward extends Op {
  private final int axis;
  private final Tensor probabilities;

  /** Along {@code axis}; {@code probabilities} is {@code e^y} or null to compute it. */
  LogSoftmaxBackward(int axis, Tensor probabilities) {
    this.axis = axis;
    this.probabilities = probabilities;
  }

  /** Along {@code axis}, computing {@code e^y} from {@code y}. */
  public LogSoftmaxBackward(int axis) {
    this(axis, null);
  }

  @Override
  public String name() {
    return "logSoftmaxBackward";
  }

  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 2, shapes);
    BackwardKernels.checkSameShape(name(), shapes[0], shapes[1]);
    int unused = shapes[0].axis(axis, name());
  }

  @Override
  protected Tensor forward(Tensor... in) {
    Tensor p = probabilities != null ? probabilities : Pointwise.exp(in[1]);
    return BackwardKernels.logSoftmax(in[0], p, in[0].shape().axis(axis, name()));
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    Var g = input(0);
    Var p = input(1).exp();
    return new Var[] {
      needsGradient(0) ? gradOutput.sub(gradOutput.mul(p).sum(axis, true)) : null,
      needsGradient(1) ? gradOutput.mul(p).mul(g.sum(axis, true)).neg() : null
    };
  }
}
