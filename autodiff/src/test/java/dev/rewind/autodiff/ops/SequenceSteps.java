package dev.rewind.autodiff.ops;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Ops that read step {@code t} of a sequence {@code xs [B, T, in]} in place, {@code op(xs, t, h, U,
 * W, b)}, held to the numbers of the same op given the step's slice.
 */
final class SequenceSteps {
  private SequenceSteps() {}

  /** The op of step t of a sequence, a state, input weights, recurrent weights and a bias. */
  interface StepOp {
    Var apply(Var xs, int t, Var h, Var u, Var w, Var b);
  }

  /** The same op of one step's input {@code [B, in]}. */
  interface MatrixOp {
    Var apply(Var x, Var h, Var u, Var w, Var b);
  }

  /** A one-hot sequence {@code [32, 5, 65]} (the sparse path) and a normal {@code [6, 4, 7]}. */
  static List<Tensor> sequences(Random random) {
    double[] oneHot = new double[32 * 5 * 65];
    for (int row = 0; row < 32 * 5; row++) {
      oneHot[row * 65 + random.nextInt(65)] = 1.0;
    }
    return List.of(
        Tensor.of(Shape.of(32, 5, 65), oneHot),
        Tensor.randomNormal(Shape.of(6, 4, 7), 0, 1, random));
  }

  /**
   * Asserts that at the first, the third and the last step, {@code op} reading the step of {@code
   * inputs.get(0)} in place gives the numbers of {@code ofSlice} given its slice: the value, and
   * every gradient with the backward pass recorded or not.
   */
  static void assertStepsGiveTheNumbersOfTheirSlices(
      StepOp op, MatrixOp ofSlice, List<Var> inputs, Tensor seed) {
    Shape xs = inputs.get(0).shape();
    for (int t : new int[] {0, 2, xs.dim(1) - 1}) {
      Function<List<Var>, Var> inPlace =
          in -> op.apply(in.get(0), t, in.get(1), in.get(2), in.get(3), in.get(4));
      Function<List<Var>, Var> sliced =
          in -> ofSlice.apply(in.get(0).select(1, t), in.get(1), in.get(2), in.get(3), in.get(4));
      BackwardPasses.assertSameNumbers(sliced, inPlace, inputs, seed, "x " + xs + ", step " + t);
    }
  }
}
