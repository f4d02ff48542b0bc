package dev.rewind.layers.elman;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.check.GradCheck;
import dev.rewind.autodiff.check.GradCheckResult;
import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Module;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.RecurrentState;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import net.jqwik.api.Assume;

/**
 * Random networks and sequences, and the loss the gradient checks of the cells differentiate.
 *
 * <p>Finite differences of a loss summed over a whole unrolled sequence carry rounding noise of
 * about 1e-10 (absolute) at GradCheck's step of 1e-6, so an element of the gradient below about
 * 1e-4 cannot be checked to a relative error of 1e-6. Such elements are the finite-difference
 * analogue of a kink: the checks here draw weights away from 0 ({@link #wellConditioned}) and
 * assume every derivative they compare is either exactly 0 or at least {@link #SMALLEST_CHECKED} in
 * magnitude ({@link #assumeNoVanishingGradient}, {@link #assumeNoVanishingSecondDerivative}). A
 * tape that gave near-zero values where it should not would make every try be discarded, which
 * jqwik reports as a failure.
 */
final class Networks {
  /** The smallest non-zero derivative a check compares, ten times above the noise's reach. */
  static final double SMALLEST_CHECKED = 1e-3;

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
   * chain of them a gradient element shrinks below what finite differences can check. The bound
   * keeps units off saturation and identity units from exploding over 8 steps.
   */
  static <M extends Module> M wellConditioned(M cell, Random random) {
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
   * the inputs and every parameter, on the assumption that no element of it nearly vanishes.
   */
  static <S extends RecurrentState<S>> GradCheckResult checkCell(
      Module cell,
      Function<List<Var>, RecurrentCell<S>> withWeights,
      Tensor inputs,
      Tensor outputWeights) {
    GradCheck check = gradCheck(withWeights, outputWeights);
    Tensor[] values = inputsAndParameters(cell, inputs);
    assumeNoVanishingGradient(check, values);
    return check.check(values);
  }

  /**
   * Asserts that {@link #checkCell} passes for {@code cell} on inputs of shape {@code [batch,
   * steps, inputSize]} with magnitudes in {@code [0.1, 1]} and output weights of shape {@code
   * [batch, steps, outputSize]} with magnitudes in {@code [0.5, 1.5]}, both drawn from {@code
   * random} in that order.
   */
  static <S extends RecurrentState<S>> void assertCellPasses(
      Module cell,
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
  static Tensor[] inputsAndParameters(Module cell, Tensor inputs) {
    List<Tensor> values = new ArrayList<>();
    values.add(inputs);
    cell.parameters().forEach(parameter -> values.add(parameter.value()));
    return values.toArray(new Tensor[0]);
  }

  /** Discards the try unless every element of the tape's gradient is 0 or not small. */
  static void assumeNoVanishingGradient(GradCheck check, Tensor... values) {
    List<Double> derivatives = new ArrayList<>();
    check.tapeGradients(values).forEach(gradient -> addAll(derivatives, gradient));
    Assume.that(noneNearlyVanishes(derivatives));
  }

  /**
   * Discards the try unless every element of the tape's Hessian of the weighted outputs is 0 or not
   * small.
   */
  static <S extends RecurrentState<S>> void assumeNoVanishingSecondDerivative(
      Function<List<Var>, RecurrentCell<S>> withWeights, Tensor outputWeights, Tensor... values) {
    List<Double> derivatives = new ArrayList<>();
    try (Tape outer = Tape.record()) {
      List<Var> vars = new ArrayList<>();
      for (Tensor value : values) {
        vars.add(Var.constant(value));
      }
      List<Var> gradient;
      try (Tape inner = Tape.record()) {
        Gradients first = inner.gradient(loss(withWeights, outputWeights, vars), vars);
        gradient = vars.stream().map(first::of).toList();
      }
      for (Var ofOneValue : gradient) {
        for (Var element : ofOneValue.reshape(ofOneValue.value().size()).unstack(0)) {
          Gradients second = outer.gradient(element, vars);
          vars.forEach(var -> addAll(derivatives, second.tensor(var)));
        }
      }
    }
    Assume.that(noneNearlyVanishes(derivatives));
  }

  private static <S extends RecurrentState<S>> Var loss(
      Function<List<Var>, RecurrentCell<S>> withWeights, Tensor outputWeights, List<Var> vars) {
    return weightedOutputs(
        withWeights.apply(vars.subList(1, vars.size())), vars.get(0), outputWeights);
  }

  private static boolean noneNearlyVanishes(List<Double> derivatives) {
    return derivatives.stream().allMatch(d -> d == 0 || Math.abs(d) >= SMALLEST_CHECKED);
  }

  private static void addAll(List<Double> into, Tensor tensor) {
    for (double value : tensor.toArray()) {
      into.add(value);
    }
  }
}
