package dev.rewind.autodiff.ops.reduce;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Reductions;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * Sums a tensor down to a shape that broadcasts to it: the reverse of {@link BroadcastTo}, and the
 * gradient of every broadcast.
 */
public final class SumTo extends Op {
  private final Shape target;

  public SumTo(Shape target) {
    this.target = target;
  }

  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 1, shapes);
    checkArgument(
        target.broadcastsTo(shapes[0]),
        "sumTo: %s cannot be summed to %s, which does not broadcast to it",
        shapes[0],
        target);
  }

  @Override
  protected Tensor forward(Tensor... in) {
    return Reductions.sumTo(in[0], target);
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    return new Var[] {gradOutput.broadcastTo(input(0).shape())};
  }
}
