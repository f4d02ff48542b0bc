package dev.rewind.autodiff.check;

import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Reductions;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The points a check evaluates f at, the directions it steps along, and how it names an element.
 */
final class Points {
  private Points() {}

  /** A direction over all inputs, one tensor per input, drawn from a standard normal. */
  static List<Tensor> randomDirection(long seed, Tensor[] inputs) {
    Random random = new Random(seed);
    List<Tensor> direction = new ArrayList<>();
    for (Tensor input : inputs) {
      direction.add(Tensor.randomNormal(input.shape(), 0, 1, random));
    }
    return direction;
  }

  /** {@code <g, d>} over all inputs at once. */
  static double along(List<Tensor> gradient, List<Tensor> direction) {
    double total = 0;
    for (int i = 0; i < gradient.size(); i++) {
      total += Reductions.dot(gradient.get(i), direction.get(i));
    }
    return total;
  }

  static Tensor[] nudged(Tensor[] inputs, int input, int element, double step) {
    Tensor[] result = inputs.clone();
    result[input] = inputs[input].withFlat(element, inputs[input].getFlat(element) + step);
    return result;
  }

  static Tensor[] shifted(Tensor[] inputs, List<Tensor> direction, double step) {
    Tensor[] result = new Tensor[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      result[i] = Pointwise.add(inputs[i], Pointwise.scale(direction.get(i), step));
    }
    return result;
  }

  /** The unit tensor of {@code shape} with a 1 at row-major position {@code k}. */
  static Tensor unit(Shape shape, int k) {
    return Layout.oneHot(new int[] {k}, shape.size()).reshape(shape);
  }

  static String coordinates(Shape shape, int flat) {
    return Arrays.toString(unflatten(shape, flat));
  }

  static int[] unflatten(Shape shape, int flat) {
    int[] dims = shape.toArray();
    int[] coordinates = new int[dims.length];
    for (int axis = dims.length - 1; axis >= 0; axis--) {
      coordinates[axis] = flat % dims[axis];
      flat /= dims[axis];
    }
    return coordinates;
  }
}
