package dev.rewind.layers.elman;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/** The shape checks the cells of this package share, with messages that name module and sizes. */
final class Checks {
  private Checks() {}

  /** A weight matrix given to a constructor must be a matrix. */
  static void checkMatrix(String module, String name, Tensor weight) {
    checkArgument(
        weight.rank() == 2,
        "%s: %s must be a matrix, but has shape %s",
        module,
        name,
        weight.shape());
  }

  /** A weight or bias given to a constructor must have the shape its neighbours imply. */
  static void checkShape(
      String module, String name, Tensor weight, Shape expected, String becauseOf) {
    checkArgument(
        weight.shape().equals(expected),
        "%s: %s has shape %s but %s needs %s",
        module,
        name,
        weight.shape(),
        becauseOf,
        expected);
  }

  /** The input of a step is {@code [batch, features]} with the features the weight expects. */
  static void checkInput(String module, Var input, String weightName, int features) {
    checkArgument(
        input.shape().rank() == 2,
        "%s: input must be [batch, features], but has shape %s",
        module,
        input.shape());
    checkArgument(
        input.shape().dim(1) == features,
        "%s: input %s has %s features but %s expects %s",
        module,
        input.shape(),
        input.shape().dim(1),
        weightName,
        features);
  }

  /** A state carried into a step must be {@code [batch, size]} for the input's batch. */
  static void checkState(String module, String what, Var state, int batch, int size) {
    checkArgument(
        state.shape().equals(Shape.of(batch, size)),
        "%s: state %s has shape %s but a batch of %s needs [%s, %s]",
        module,
        what,
        state.shape(),
        batch,
        batch,
        size);
  }
}
