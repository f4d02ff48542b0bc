package dev.rewind.autodiff.ops.elementwise;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Tensor;

/** {@code x^p} for a constant exponent {@code p}. */
public final class Pow extends UnaryOp {
  private final double exponent;

  public Pow(double exponent) {
    this.exponent = exponent;
  }

  @Override
  protected Tensor forward(Tensor... in) {
    return Pointwise.pow(in[0], exponent);
  }

  @Override
  protected Var gradient(Var gradOutput) {
    return gradOutput.mul(x().pow(exponent - 1.0).mul(exponent));
  }
}
