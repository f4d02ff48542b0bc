package dev.rewind.layers.dropout;

import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.Random;

/** Inputs for the dropout tests: values away from 0. */
final class DropoutCells {
  private DropoutCells() {}

  /** Uniform in ±[0.1, 1]: no element near 0. */
  static Tensor awayFromZero(Shape shape, Random random) {
    Tensor magnitude = Tensor.randomUniform(shape, 0.1, 1, random);
    Tensor sign = Tensor.randomUniform(shape, -1, 1, random);
    return Pointwise.zip(magnitude, sign, (m, s) -> s < 0 ? -m : m, "awayFromZero");
  }
}
