package dev.rewind.autodiff.ops.shape;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import java.util.List;

/**
 * Stacking along a new axis, composed of ops rather than one of its own: each part gains an axis of
 * size 1 ({@link Reshape}), and the parts are joined along it ({@link Concat}), whose backward
 * rules give the stack's.
 */
public final class Stack {
  private Stack() {}

  /** {@code parts}, all of one shape, stacked along the new axis {@code axis}. */
  public static Var of(int axis, List<Var> parts) {
    checkArgument(!parts.isEmpty(), "stack: needs at least one input");
    Shape shape = parts.get(0).shape();
    int newAxis = axis < 0 ? axis + shape.rank() + 1 : axis;
    checkArgument(
        newAxis >= 0 && newAxis <= shape.rank(),
        "stack: axis %s is out of range for %s",
        axis,
        shape);
    // Check every shape before reshaping any: a rejected stack records nothing.
    for (int i = 1; i < parts.size(); i++) {
      checkArgument(
          parts.get(i).shape().equals(shape),
          "stack: input %s has shape %s but input 0 has %s",
          i,
          parts.get(i).shape(),
          shape);
    }
    Var[] expanded = new Var[parts.size()];
    for (int i = 0; i < expanded.length; i++) {
      expanded[i] = parts.get(i).reshape(shape.inserting(newAxis, 1));
    }
    return Var.concat(newAxis, expanded);
  }
}
