package dev.rewind.autodiff.ops.reduce;

import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Reductions;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/** The sum along one axis, which is dropped unless {@code keepDims}. */
public final class SumAxis extends Op {
  private final int axis;
  private final boolean keepDims;
  private int resolvedAxis;

  public SumAxis(int axis, boolean keepDims) {
    this.axis = axis;
    this.keepDims = keepDims;
  }

  @Override
  public String name() {
    return "sum";
  }

  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 1, shapes);
    resolvedAxis = shapes[0].axis(axis, name());
  }

  @Override
  protected Tensor forward(Tensor... in) {
    return Reductions.sum(in[0], resolvedAxis, keepDims);
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    Shape inputShape = input(0).shape();
    Shape kept = inputShape.withDim(resolvedAxis, 1);
    return new Var[] {gradOutput.reshape(kept).broadcastTo(inputShape)};
  }
}
