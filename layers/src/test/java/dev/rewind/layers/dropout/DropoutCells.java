package dev.rewind.layers.dropout;

import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Layer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Inputs for the dropout tests: values away from 0, and a layer's weights as values. */
final class DropoutCells {
  private DropoutCells() {}

  /** Uniform in ±[0.1, 1]: no element near 0. */
  static Tensor awayFromZero(Shape shape, Random random) {
    Tensor magnitude = Tensor.randomUniform(shape, 0.1, 1, random);
    Tensor sign = Tensor.randomUniform(shape, -1, 1, random);
    return Pointwise.zip(magnitude, sign, (m, s) -> s < 0 ? -m : m, "awayFromZero");
  }

  /** The values of every parameter of {@code layer}, in the order of namedParameters(). */
  static List<Tensor> weights(Layer layer) {
    List<Tensor> weights = new ArrayList<>();
    for (Parameter parameter : layer.parameters()) {
      weights.add(parameter.value());
    }
    return weights;
  }

  static List<Var> constants(List<Tensor> values) {
    return values.stream().map(Var::constant).toList();
  }
}
