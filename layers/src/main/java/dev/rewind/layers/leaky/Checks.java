package dev.rewind.layers.leaky;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tensor.Shape;

/** The weight checks the cells of this package share, with messages that name cell and sizes. */
final class Checks {
  private Checks() {}

  /**
   * Checks that the recurrent matrix {@code W} is square, {@code [hidden, hidden]}, and the input
   * matrix {@code U} is {@code [in, hidden]}, and returns the number of hidden units.
   */
  static int checkInputAndRecurrent(String cell, Shape u, Shape w) {
    checkArgument(
        w.rank() == 2 && w.dim(0) > 0 && w.dim(0) == w.dim(1),
        "%s: W has shape %s but must be square, [hidden, hidden]",
        cell,
        w);
    int hidden = w.dim(0);
    checkArgument(
        u.rank() == 2 && u.dim(0) > 0 && u.dim(1) == hidden,
        "%s: U has shape %s but %s hidden units need [in, %s]",
        cell,
        u,
        hidden,
        hidden);
    return hidden;
  }
}
