package dev.rewind.layers.elman;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.BpttChecks;
import dev.rewind.layers.Layer;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.RecurrentState;
import java.util.Random;

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
   * Asserts that the gradient of {@link #weightedOutputs} with respect to the inputs and every
   * parameter of {@code cell} matches central differences, element by element, on inputs of shape
   * {@code [batch, steps, inputSize]} with magnitudes in {@code [0.1, 1]} and output weights of
   * shape {@code [batch, steps, outputSize]} with magnitudes in {@code [0.5, 1.5]}, both drawn from
   * {@code random} in that order.
   */
  static <S extends RecurrentState<S>, C extends Layer & RecurrentCell<S>> void assertCellPasses(
      C cell, int batch, int steps, int inputSize, int outputSize, Random random) {
    Tensor inputs = awayFromZero(Shape.of(batch, steps, inputSize), 0.1, 1, random);
    Tensor weights = awayFromZero(Shape.of(batch, steps, outputSize), 0.5, 1.5, random);
    BpttChecks.assertWeightedOutputsPass(
        cell, weights, ImmutableMap.of("x", inputs), in -> new Recurrent<>(cell).run(in.get("x")));
  }
}
