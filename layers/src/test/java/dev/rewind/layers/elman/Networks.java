package dev.rewind.layers.elman;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.check.GradCheck;
import dev.rewind.autodiff.check.GradCheckResult;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Layer;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.RecurrentState;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Random networks and sequences, and the loss the gradient checks of the cells differentiate. The
 * checks draw weights away from 0 and bounded ({@link #wellConditioned}), so that the derivatives
 * they compare are mostly large enough for a relative error of 1e-6; one that vanishes or nearly
 * cancels is held to the rounding error of GradCheck's differences instead, so no try is discarded.
 */
final class Networks {
  private Networks() {}

  /** Elements uniform in {@code [margin, bound]} with a random sign: away from the kinks at 0. */
  static Tensor awayFromZero(Shape shape, double margin, double bound, Random random) {
    double[] values = new double[shape.size()];
    for (int i = 0; i < values.length; i++) {
      double magnitude = margin + (bound - margin) * random.nextDouble();
      values[i] = random.nextBoolean() ? magnitude : -magnitude;
    }
    return Tensor.of(shape, values);
  }

  /**
   * Gives every parameter of {@code cell} new values of magnitude in {@code [0.2, 0.7]}, with
   * random signs, and returns the cell: a random initialiser draws weights near 0, and through a
   * chain of them most gradient elements shrink towards the rounding error of finite differences,
   * which checks them less tightly. The bound keeps units off saturation and identity units from
   * exploding over 8 steps.
   */
  static <M extends Layer> M wellConditioned(M cell, Random random) {
    cell.parameters().forEach(p -> p.assign(awayFromZero(p.shape(), 0.2, 0.7, random)));
    return cell;
  }

  /**
   * A many-to-many loss: every output of the unrolled cell weighted by a fixed tensor of the
   * stacked outputs' shape {@code [batch, time, out]}, summed.
   */
  static <S extends RecurrentState<S>> Var weightedOutputs(
      RecurrentCell<S> cell, Var inputs, Tensor outputWeights) {
    return new Recurrent<>(cell).run(inputs).stacked().mul(Var.constant(outputWeights)).sum();
  }

  /**
   * A check of the weighted outputs as a function of the inputs (the first value) and the cell's
   * weights (the rest, in parameter order), through the cell's {@code withWeights}.
   */
  static <S extends RecurrentState<S>> GradCheck gradCheck(
      Function<List<Var>, RecurrentCell<S>> withWeights, Tensor outputWeights) {
    return GradCheck.of(vars -> loss(withWeights, outputWeights, vars));
  }

  /**
   * The first-order check, element by element, of the weighted outputs' gradient with respect to
   * the inputs and every parameter.
   */
  static <S extends RecurrentState<S>> GradCheckResult checkCell(
      Layer cell,
      Function<List<Var>, RecurrentCell<S>> withWeights,
      Tensor inputs,
      Tensor outputWeights) {
    GradCheck check = gradCheck(withWeights, outputWeights);
    return check.check(inputsAndParameters(cell, inputs));
  }

  /**
   * Asserts that {@link #checkCell} passes for {@code cell} on inputs of shape {@code [batch,
   * steps, inputSize]} with magnitudes in {@code [0.1, 1]} and output weights of shape {@code
   * [batch, steps, outputSize]} with magnitudes in {@code [0.5, 1.5]}, both drawn from {@code
   * random} in that order.
   */
  static <S extends RecurrentState<S>> void assertCellPasses(
      Layer cell,
      Function<List<Var>, RecurrentCell<S>> withWeights,
      int batch,
      int steps,
      int inputSize,
      int outputSize,
      Random random) {
    Tensor inputs = awayFromZero(Shape.of(batch, steps, inputSize), 0.1, 1, random);
    Tensor weights = awayFromZero(Shape.of(batch, steps, outputSize), 0.5, 1.5, random);
    GradCheckResult result = checkCell(cell, withWeights, inputs, weights);
    assertTrue(result.passed(), () -> cell + ": " + result);
  }

  /** The inputs followed by the current value of every parameter of {@code cell}, in order. */
  static Tensor[] inputsAndParameters(Layer cell, Tensor inputs) {
    List<Tensor> values = new ArrayList<>();
    values.add(inputs);
    cell.parameters().forEach(parameter -> values.add(parameter.value()));
    return values.toArray(new Tensor[0]);
  }

  private static <S extends RecurrentState<S>> Var loss(
      Function<List<Var>, RecurrentCell<S>> withWeights, Tensor outputWeights, List<Var> vars) {
    return weightedOutputs(
        withWeights.apply(vars.subList(1, vars.size())), vars.get(0), outputWeights);
  }
}
