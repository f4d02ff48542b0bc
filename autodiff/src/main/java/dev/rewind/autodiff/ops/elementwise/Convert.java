package dev.rewind.autodiff.ops.elementwise;

import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * The same values in another dtype ({@link Tensor#to(DType)}): the one op whose input and output
 * dtypes differ. Its gradient is the output's gradient converted back to the input's dtype.
 */
public final class Convert extends Op {
  private final DType dtype;

  public Convert(DType dtype) {
    this.dtype = dtype;
  }

  @Override
  public String name() {
    return "to";
  }

  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 1, shapes);
  }

  @Override
  protected Tensor forward(Tensor... in) {
    return in[0].to(dtype);
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    return new Var[] {gradOutput.to(input(0).dtype())};
  }
}
