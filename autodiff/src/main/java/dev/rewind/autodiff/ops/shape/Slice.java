package dev.rewind.autodiff.ops.shape;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.GradientSum;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/** The elements with index in {@code [start, end)} along an axis; the gradient pads with zeros. */
public final class Slice extends Op {
  private final int axis;
  private final int start;
  private final int end;
  private int resolvedAxis;

  public Slice(int axis, int start, int end) {
    this.axis = axis;
    this.start = start;
    this.end = end;
  }

  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 1, shapes);
    resolvedAxis = shapes[0].axis(axis, name());
    int length = shapes[0].dim(resolvedAxis);
    checkArgument(
        0 <= start && start <= end && end <= length,
        "slice: [%s, %s) along axis %s is out of range for shape %s",
        start,
        end,
        resolvedAxis,
        shapes[0]);
  }

  @Override
  protected Tensor forward(Tensor... in) {
    return Layout.slice(in[0], resolvedAxis, start, end);
  }

  /** Adds the gradient into its region of the sum, never padded with zeros. */
  @Override
  protected boolean backwardInPlace(Tensor[] gradOutputs, GradientSum[] into) {
    into[0].addSlice(gradOutputs[0], resolvedAxis, start);
    return true;
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    int after = input(0).shape().dim(resolvedAxis) - end;
    return new Var[] {gradOutput.pad(resolvedAxis, start, after)};
  }
}
