package dev.rewind.autodiff.ops.shape;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * The elements where a constant mask of the same shape is non-zero, as a vector in row-major order,
 * as PyTorch's {@code masked_select}. The gradient puts them back in place ({@link MaskedScatter}).
 */
public final class MaskedSelect extends Op {
  private final Tensor mask;

  public MaskedSelect(Tensor mask) {
    this.mask = mask;
  }

  @Override
  public String name() {
    return "maskedSelect";
  }

  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 1, shapes);
    checkArgument(
        mask.shape().equals(shapes[0]),
        "maskedSelect: mask %s and input %s differ in shape",
        mask.shape(),
        shapes[0]);
  }

  @Override
  protected Tensor forward(Tensor... in) {
    return Layout.maskedSelect(in[0], mask);
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    return new Var[] {gradOutput.maskedScatter(mask)};
  }
}
