package dev.rewind.autodiff.ops.shape;

import dev.rewind.autodiff.internal.Columns;
import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * The reverse of {@link Pick}: {@code [N]} values placed one per row in a {@code [N, width]} matrix
 * of zeros, value {@code n} at column {@code columns[n]}. Its gradient picks them back.
 */
public final class Place extends Op {
  private final int[] columns;
  private final int width;

  public Place(int[] columns, int width) {
    this.columns = columns.clone();
    this.width = width;
  }

  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 1, shapes);
    Columns.checkColumns(name(), Shape.of(columns.length, width), columns);
    Shape expected = Shape.of(columns.length);
    if (!shapes[0].equals(expected)) {
      throw new IllegalArgumentException(
          String.format(
              "place: values %s do not fit %s columns: expected %s",
              shapes[0], columns.length, expected));
    }
  }

  @Override
  protected Tensor forward(Tensor... in) {
    return Columns.place(in[0], columns, width);
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    return new Var[] {new Pick(columns).apply(gradOutput)};
  }
}
