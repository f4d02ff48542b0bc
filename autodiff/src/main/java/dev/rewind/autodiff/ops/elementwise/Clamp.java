package dev.rewind.autodiff.ops.elementwise;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * {@code x} limited to {@code [min, max]}. The gradient passes where {@code min <= x <= max} and is
 * 0 outside, as in PyTorch.
 */
public final class Clamp extends UnaryOp {
  private final double min;
  private final double max;

  public Clamp(double min, double max) {
    checkArgument(min <= max, "clamp: min %s is above max %s", min, max);
    this.min = min;
    this.max = max;
  }

  @Override
  protected Tensor forward(Tensor... in) {
    return Pointwise.clamp(in[0], min, max);
  }

  @Override
  protected Var gradient(Var gradOutput) {
    return gradOutput.mul(Var.constant(Pointwise.insideMask(inputValue(0), min, max)));
  }
}
