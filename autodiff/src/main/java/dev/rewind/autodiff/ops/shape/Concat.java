package dev.rewind.autodiff.ops.shape;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.Arrays;

/** Joins tensors along an axis; each input's gradient is its slice of the output gradient. */
public final class Concat extends Op {
  private final int axis;
  private int resolvedAxis;

  public Concat(int axis) {
    this.axis = axis;
  }

  @Override
  protected void checkInputs(Shape... shapes) {
    checkArgument(shapes.length > 0, "concat: needs at least one input");
    resolvedAxis = shapes[0].axis(axis, name());
    for (int i = 1; i < shapes.length; i++) {
      checkArgument(
          shapes[i].rank() == shapes[0].rank()
              && shapes[i].withDim(resolvedAxis, 0).equals(shapes[0].withDim(resolvedAxis, 0)),
          "concat: along axis %s, input %s has shape %s but input 0 has %s; only axis %s may differ",
          resolvedAxis,
          i,
          shapes[i],
          shapes[0],
          resolvedAxis);
    }
  }

  @Override
  protected Tensor forward(Tensor... in) {
    return Layout.concat(Arrays.asList(in), resolvedAxis);
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    Var[] gradients = new Var[inputCount()];
    int start = 0;
    for (int i = 0; i < gradients.length; i++) {
      int length = input(i).shape().dim(resolvedAxis);
      if (needsGradient(i)) {
        gradients[i] = gradOutput.slice(resolvedAxis, start, start + length);
      }
      start += length;
    }
    return gradients;
  }
}
