package dev.rewind.autodiff.ops.reduce;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/** Repeats a tensor along its size-1 and missing leading axes; the gradient sums them back. */
public final class BroadcastTo extends Op {
  private final Shape target;

  public BroadcastTo(Shape target) {
    this.target = target;
  }

  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 1, shapes);
    checkArgument(
        shapes[0].broadcastsTo(target),
        "broadcastTo: %s does not broadcast to %s",
        shapes[0],
        target);
  }

  @Override
  protected Tensor forward(Tensor... in) {
    return Layout.broadcastTo(in[0], target);
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    return new Var[] {gradOutput.sumTo(input(0).shape())};
  }
}
