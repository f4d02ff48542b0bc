package dev.rewind.autodiff.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.check.GradCheck;
import dev.rewind.autodiff.check.GradCheckResult;
import dev.rewind.autodiff.ops.rnn.GruGatesBackward;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The samples on which {@code OpGradientProperties.jacobianMatchesCentralDifferences} once failed
 * for the GRU gates' backward op (jqwik seed 8807144571485508416), pinned: the tape's Jacobian was
 * right there, and the check was wrong.
 *
 * <p>Both samples put a pre-activation at or near 0, where a Jacobian element vanishes although f
 * does not: the central difference at the case's step of 5e-6 then held rounding noise of about one
 * unit in the last place of f over 2ε (8.7e-14 and 1.5e-12), which a pure relative error, floored
 * at 1e-8, could not forgive. GradCheck now bounds that noise (ν) and accepts it; the elements
 * themselves are checked here against references that have no such noise.
 */
class GruGatesBackwardJacobianTest {
  /** The step of the gate cases in {@link OpCases}. */
  private static final double STEP = 5e-6;

  /** The op's three outputs side by side, {@code [dax | dah | dh]}. */
  private static final Function<List<Var>, Var> GRU_GATES_BACKWARD =
      vars ->
          Var.concat(
              1,
              new GruGatesBackward().applyAll(vars.get(0), vars.get(1), vars.get(2), vars.get(3)));

  /**
   * jqwik's fully shrunk sample ({@code ShrinkingMode.FULL}): every input ±0.25. In batch row 1 the
   * update gate's pre-activation {@code ax_z + ah_z = -0.25 + 0.25} is exactly 0, so {@code z =
   * 1/2} and the derivative of {@code dax_z = dh' (h - n) z (1 - z)} with respect to {@code ax_z},
   * which carries the factor {@code 1 - 2z}, is exactly 0. The check failed there with a relative
   * error of 8.67e-6: tape 0 against a central difference of -8.67e-14.
   */
  @Test
  void fullyShrunkSampleWhoseElementIsExactlyZero() {
    Tensor[] inputs = {
      Tensor.matrix(new double[][] {{-0.25, -0.25}, {-0.25, -0.25}}),
      Tensor.matrix(
          new double[][] {
            {-0.25, -0.25, -0.25, -0.25, -0.25, -0.25}, {-0.25, -0.25, -0.25, -0.25, -0.25, -0.25}
          }),
      Tensor.matrix(
          new double[][] {
            {-0.25, -0.25, -0.25, -0.25, -0.25, -0.25}, {-0.25, -0.25, -0.25, 0.25, -0.25, -0.25}
          }),
      Tensor.matrix(new double[][] {{-0.25, -0.25}, {-0.25, -0.25}})
    };
    // Output [1, 3] (dax_z of unit 1 in row 1) by input 1 (ax) at [1, 3] (ax_z of that unit).
    int output = 14 + 3;
    int element = 6 + 3;

    assertEquals(0.0, tapeElement(inputs, output, 1, element));
    assertEquals(0.0, reference(inputs, output, 1, element), 1e-15);
    GradCheckResult result = GradCheck.of(GRU_GATES_BACKWARD).eps(STEP).check(inputs);
    assertTrue(result.passed(), result::toString);
  }

  /**
   * A sample shrunk within jqwik's default ten seconds: the candidate's argument {@code ax_n + r
   * ah_n} in row 0 is 4.46e-5, so {@code n = tanh} of it is too, and the derivative of {@code dax_n
   * = dh' (1 - z) (1 - n²)} with respect to {@code ax_r}, which carries the factor n, is -7.47e-7.
   * Symbolic differentiation evaluated to 50 digits gives -7.4712447698654612e-7; the tape gave
   * -7.4712447698673205e-7 and the central difference -7.4712597220027977e-7, off by 1.5e-12, a
   * relative error of 1.0e-6 against the tolerance of 1e-6.
   */
  @Test
  void boundedShrunkSampleWhoseElementNearlyVanishes() {
    Tensor[] inputs = {
      Tensor.matrix(new double[][] {{-0.25, -0.25}, {-0.25, -0.25}}),
      Tensor.matrix(
          new double[][] {
            {
              0.650093154033, -0.25, 0.250004251572, 0.401242792051, 0.608009043336, -0.254935958155
            },
            {
              -0.779670924218,
              0.355395590613,
              -0.508017084272,
              -0.87962643692,
              -0.589678758857,
              -0.444084843306
            }
          }),
      Tensor.matrix(
          new double[][] {
            {
              0.880970192727,
              0.649641981492,
              0.549268969024,
              0.903036099651,
              -0.739470572562,
              0.782584660244
            },
            {
              -0.630326382697,
              -0.463098462049,
              0.896109031213,
              0.832599565858,
              -0.979987193208,
              0.452644243796
            }
          }),
      Tensor.matrix(
          new double[][] {{-0.254599231222, -0.993060220197}, {0.641174869579, -0.899287401241}})
    };
    // Output [0, 4] (dax_n of unit 0 in row 0) by input 1 (ax) at [0, 0] (ax_r of that unit).
    int output = 4;
    int element = 0;
    double symbolic = -7.4712447698654612e-7;

    double tape = tapeElement(inputs, output, 1, element);
    double reference = reference(inputs, output, 1, element);
    assertEquals(symbolic, reference, 1e-8 * Math.abs(symbolic));
    assertEquals(reference, tape, 1e-8 * Math.abs(reference));
    GradCheckResult result = GradCheck.of(GRU_GATES_BACKWARD).eps(STEP).check(inputs);
    assertTrue(result.passed(), result::toString);
  }

  /** Element {@code output} of the tape's vector-Jacobian product with the unit vector there. */
  private static double tapeElement(Tensor[] inputs, int output, int input, int element) {
    List<Var> vars = Arrays.stream(inputs).map(Var::constant).toList();
    Var y = GRU_GATES_BACKWARD.apply(vars);
    Tensor seed = Layout.oneHot(new int[] {output}, y.value().size()).reshape(y.shape());
    return BackwardPasses.gradients(GRU_GATES_BACKWARD, vars, seed, false)
        .get(input)
        .getFlat(element);
  }

  /**
   * The derivative of output element {@code output} along input element {@code element}, by
   * Richardson extrapolation of central differences at the steps 0.01, 0.005 and 0.0025 to sixth
   * order: a truncation error near 1e-19 for these inputs, and a rounding error below 1e-14, where
   * a central difference at 5e-6 carries one near 1e-12.
   */
  private static double reference(Tensor[] inputs, int output, int input, int element) {
    DoubleUnaryOperator f =
        step -> {
          Tensor[] moved = inputs.clone();
          moved[input] = inputs[input].withFlat(element, inputs[input].getFlat(element) + step);
          List<Var> vars = Arrays.stream(moved).map(Var::constant).toList();
          return GRU_GATES_BACKWARD.apply(vars).value().getFlat(output);
        };
    double h = 0.01;
    double[] central = new double[3];
    for (int i = 0; i < central.length; i++) {
      double step = h / (1 << i);
      central[i] = (f.applyAsDouble(step) - f.applyAsDouble(-step)) / (2 * step);
    }
    double fourthOrder = (4 * central[1] - central[0]) / 3;
    double fourthOrderHalved = (4 * central[2] - central[1]) / 3;
    return (16 * fourthOrderHalved - fourthOrder) / 15;
  }
}
