package dev.rewind.autodiff.ops.elementwise;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * {@code a} where the constant {@code condition} is non-zero, else {@code b}; all three broadcast.
 * Each operand receives the gradient at the positions it was chosen.
 */
public final class Where extends Op {
  private final Tensor condition;

  public Where(Tensor condition) {
    this.condition = condition;
  }

  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 2, shapes);
    Shape both = shapes[0].broadcast(shapes[1], name());
    Shape all = condition.shape().broadcast(both, name());
    checkArgument(
        all.equals(both),
        "where: condition %s would enlarge the operands %s and %s",
        condition.shape(),
        shapes[0],
        shapes[1]);
  }

  @Override
  protected Tensor forward(Tensor... in) {
    return Layout.where(condition, in[0], in[1]);
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    Var zero = Var.scalar(0.0, gradOutput.dtype());
    return new Var[] {
      needsGradient(0) ? Var.where(condition, gradOutput, zero).sumTo(input(0).shape()) : null,
      needsGradient(1) ? Var.where(condition, zero, gradOutput).sumTo(input(1).shape()) : null
    };
  }
}
