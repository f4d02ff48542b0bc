package dev.rewind.autodiff.ops;

import dev.rewind.autodiff.tensor.Shape;
import java.util.Arrays;

/** Argument checks shared by the ops: the number of inputs, with the op named in the message. */
public final class Arity {
  private Arity() {}

  /** Throws unless exactly {@code expected} shapes were given. */
  public static void check(String op, int expected, Shape... shapes) {
    if (shapes.length != expected) {
      throw new IllegalArgumentException(
          String.format(
              "%s: takes %s inputs but was given %s: %s",
              op, expected, shapes.length, Arrays.toString(shapes)));
    }
  }
}
