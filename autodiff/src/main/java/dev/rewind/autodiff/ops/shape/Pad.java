package dev.rewind.autodiff.ops.shape;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/** Zeros before and after along an axis: the reverse of {@link Slice}, whose gradient it is. */
public final class Pad extends Op {
  private final int axis;
  private final int before;
  private final int after;
  private int resolvedAxis;

  public Pad(int axis, int before, int after) {
    checkArgument(
        before >= 0 && after >= 0, "pad: widths %s and %s must not be negative", before, after);
    this.axis = axis;
    this.before = before;
    this.after = after;
  }

  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 1, shapes);
    resolvedAxis = shapes[0].axis(axis, name());
  }

  @Override
  protected Tensor forward(Tensor... in) {
    return Layout.pad(in[0], resolvedAxis, before, after);
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    int length = input(0).shape().dim(resolvedAxis);
    return new Var[] {gradOutput.slice(resolvedAxis, before, before + length)};
  }
}
