package dev.rewind.autodiff.ops.shape;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * Places a vector's elements at the non-zero positions of a constant mask, zeros elsewhere: the
 * gradient of {@link MaskedSelect}, and selected back by its own gradient.
 */
public final class MaskedScatter extends Op {
  private final Tensor mask;

  public MaskedScatter(Tensor mask) {
    this.mask = mask;
  }

  @Override
  public String name() {
    return "maskedScatter";
  }

  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 1, shapes);
    int selected = 0;
    for (int i = 0; i < mask.size(); i++) {
      selected += mask.getFlat(i) != 0 ? 1 : 0;
    }
    checkArgument(
        shapes[0].equals(Shape.of(selected)),
        "maskedScatter: input %s does not fit the %s non-zero positions of mask %s",
        shapes[0],
        selected,
        mask.shape());
  }

  @Override
  protected Tensor forward(Tensor... in) {
    return Layout.maskedScatter(in[0], mask);
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    return new Var[] {gradOutput.maskedSelect(mask)};
  }
}
