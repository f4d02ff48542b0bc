package dev.rewind.autodiff.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** GradCheck finds wrong gradients, says where, and passes right ones. */
class GradCheckTest {
  private static final Tensor X = Tensor.matrix(new double[][] {{0.3, -1.2}, {0.7, 0.25}});
  private static final Tensor W = Tensor.matrix(new double[][] {{1.1, -0.4}, {0.6, 0.9}});

  /** sin, with a backward rule whose sign is wrong for the element at flat position 3 only. */
  static final class SinWithABug extends Op {
    @Override
    protected void checkInputs(Shape... shapes) {
      Arity.check(name(), 1, shapes);
    }

    @Override
    protected Tensor forward(Tensor... in) {
      return Pointwise.map(in[0], Math::sin);
    }

    @Override
    protected Var[] backward(Var gradOutput) {
      Tensor cos = Pointwise.map(input(0).value(), Math::cos);
      Tensor wrong = cos.withFlat(3, -cos.getFlat(3));
      return new Var[] {gradOutput.mul(Var.constant(wrong))};
    }
  }

  @Test
  void correctGradientsPassAtTheDefaultTolerance() {
    GradCheckResult result =
        GradCheck.of(in -> in.get(0).matmul(in.get(1)).tanh().square().sum()).check(X, W);
    assertTrue(result.passed(), result::toString);
    assertEquals(8, result.comparisons());
    assertTrue(result.worstError() < 1e-8, result::toString);
  }

  @Test
  void aWrongBackwardRuleFailsAndIsLocated() {
    GradCheckResult result = GradCheck.of(in -> new SinWithABug().apply(in.get(0)).sum()).check(X);
    assertFalse(result.passed());
    assertEquals(0, result.input());
    assertArrayEquals(new int[] {1, 1}, result.index());
    assertEquals(-Math.cos(0.25), result.actual(), 1e-15);
    assertEquals(Math.cos(0.25), result.expected(), 1e-8);
    assertTrue(result.toString().contains("FAILED"), result::toString);
    assertTrue(result.toString().contains("[1, 1]"), result::toString);
    assertThrows(AssertionError.class, result::orThrow);
  }

  @Test
  void theJacobianOfANonScalarFunctionIsCheckedRowByRow() {
    GradCheckResult result = GradCheck.of(in -> in.get(0).matmul(in.get(1))).check(X, W);
    assertTrue(result.passed(), result::toString);
    assertEquals(4 * 8, result.comparisons());
  }

  @Test
  void aWrongBackwardRuleFailsTheSecondOrderCheckToo() {
    GradCheckResult right = GradCheck.of(in -> in.get(0).tanh().square().sum()).checkSecondOrder(X);
    assertTrue(right.passed(), right::toString);
    GradCheckResult wrong =
        GradCheck.of(in -> new SinWithABug().apply(in.get(0)).square().sum()).checkSecondOrder(X);
    assertFalse(wrong.passed(), wrong::toString);
  }

  @Test
  void secondOrderCheckComparesTheWholeHessian() {
    GradCheckResult result =
        GradCheck.of(in -> in.get(0).matmul(in.get(1)).tanh().sum()).checkSecondOrder(X, W);
    assertTrue(result.passed(), result::toString);
    assertEquals(8 * 8, result.comparisons());
  }

  @Test
  void randomDirectionCheckPassesRightGradientsAndFailsWrongOnes() {
    Tensor big = Tensor.randomNormal(Shape.of(30, 40), 0, 0.5, new Random(1));
    assertTrue(
        GradCheck.of(in -> in.get(0).tanh().square().sum()).checkRandomDirection(3, big).passed());
    assertFalse(
        GradCheck.of(in -> new SinWithABug().apply(in.get(0)).sum())
            .checkRandomDirection(3, big)
            .passed());
  }

  @Test
  void handDerivedGradientsAreComparedElementByElement() {
    // d/dx sum(x²) = 2x, derived by hand; a slip in one element is found there.
    Tensor right = Pointwise.scale(X, 2);
    GradCheck squares = GradCheck.of(in -> in.get(0).square().sum());
    assertTrue(squares.checkHandDerived(List.of(right), X).passed());
    GradCheckResult slip = squares.checkHandDerived(List.of(right.withFlat(2, 1.0)), X);
    assertFalse(slip.passed());
    assertArrayEquals(new int[] {1, 0}, slip.index());
    assertEquals("hand-derived", slip.what());
  }

  @Test
  void handDerivedGradientsOfTheWrongShapeAreRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                GradCheck.of(in -> in.get(0).sum()).checkHandDerived(List.of(Tensor.zeros(3)), X));
    assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[2, 2]"), e::getMessage);
  }

  @Test
  void aNanGradientFails() {
    GradCheckResult result = GradCheck.of(in -> in.get(0).sqrt().sum()).check(Tensor.vector(0, 1));
    assertFalse(result.passed(), result::toString);
  }

  @Test
  void aFunctionThatTakesGradientsItselfCanBeChecked() {
    // f(x) = |∇ sum(tanh(x)²)|², a gradient penalty: its gradient is a second derivative.
    GradCheckResult result =
        GradCheck.of(
                in -> {
                  try (Tape inner = Tape.record()) {
                    Var x = in.get(0);
                    return inner.gradient(x.tanh().square().sum(), x).of(x).square().sum();
                  }
                })
            .check(X);
    assertTrue(result.passed(), result::toString);
  }

  @Test
  void aDerivativeThatVanishesIsHeldToTheRoundingErrorOfTheDifferences() {
    // 10 σ'(a + b) at a + b = -0.25 + 0.25 = 0, where σ' is flat: both derivatives are exactly 0,
    // and the tape gives 0. The differences give rounding noise instead, which no relative error
    // can accept, but which is within ν.
    Tensor a = Tensor.vector(-0.25);
    Tensor b = Tensor.vector(0.25);
    GradCheckResult result =
        GradCheck.of(
                in -> {
                  Var s = in.get(0).add(in.get(1)).sigmoid();
                  return s.mul(s.neg().add(1.0)).mul(10.0).sum();
                })
            .eps(5e-6)
            .check(a, b);
    assertTrue(result.passed(), result::toString);
    assertEquals(0.0, result.actual());
    assertNotEquals(0.0, result.expected(), result::toString);
    assertTrue(Math.abs(result.expected()) <= result.resolution(), result::toString);
  }

  @Test
  void aWrongDerivativeTooSmallForTheRelativeErrorStillFails() {
    // f is near 4, so ν is near 3e-9; the derivatives, 1e-7 cos x, are below ν / tolerance and
    // held to ν: a sign error of 2e-7 fails.
    GradCheckResult result =
        GradCheck.of(in -> new SinWithABug().apply(in.get(0)).mul(1e-7).add(1.0).sum()).check(X);
    assertFalse(result.passed(), result::toString);
    assertArrayEquals(new int[] {1, 1}, result.index());
    assertTrue(result.resolution() < 1e-8, result::toString);
  }

  @Test
  void theErrorIsRelativeAboveTheResolutionAndAbsoluteBelow() {
    double tolerance = 1e-6;
    double resolution = 1e-11;
    // Large values: the relative error, 5e-8 and 1.5e-6.
    assertEquals(5e-8, GradCheckResult.error(1, 1 + 1e-7, resolution, tolerance), 1e-12);
    assertTrue(GradCheckResult.error(1, 1 + 3e-6, resolution, tolerance) > tolerance);
    // Values near 0: within ν passes, beyond it fails.
    assertTrue(GradCheckResult.error(0, 9e-12, resolution, tolerance) <= tolerance);
    assertTrue(GradCheckResult.error(0, 2e-11, resolution, tolerance) > tolerance);
    assertTrue(GradCheckResult.error(2e-11, -2e-11, resolution, tolerance) > tolerance);
    // Without a resolution, the relative error of old.
    assertEquals(
        GradCheckResult.relativeError(0.3, 0.31), GradCheckResult.error(0.3, 0.31, 0, 1), 0);
    assertTrue(Double.isNaN(GradCheckResult.error(Double.NaN, 1, resolution, tolerance)));
    assertTrue(Double.isNaN(GradCheckResult.error(1, 1, Double.NaN, tolerance)));
  }

  @Test
  void epsAndToleranceAreSettableAndValidated() {
    GradCheck loose = GradCheck.of(in -> in.get(0).exp().sum()).eps(1e-3).tolerance(1e-5);
    assertTrue(loose.check(X).passed());
    assertThrows(IllegalArgumentException.class, () -> loose.eps(0));
    assertThrows(IllegalArgumentException.class, () -> loose.tolerance(-1));
  }
}
