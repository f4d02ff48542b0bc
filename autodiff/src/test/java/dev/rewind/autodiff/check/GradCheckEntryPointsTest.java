package dev.rewind.autodiff.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.check.GradCheckTest.SinWithABug;
import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The named, parameter, vector-Jacobian and second-order random-direction checks pass right
 * derivatives, fail wrong ones, name the input, and leave parameters as they found them.
 */
class GradCheckEntryPointsTest {
  private static final Tensor X = Tensor.matrix(new double[][] {{0.3, -1.2}, {0.7, 0.25}});
  private static final Tensor W = Tensor.matrix(new double[][] {{1.1, -0.4}, {0.6, 0.9}});
  private static final Tensor BIG = Tensor.randomNormal(Shape.of(30, 40), 0, 0.5, new Random(1));

  /**
   * sin, whose backward multiplies by cos(x) as a constant: right first order, but its own
   * derivative (the second derivative of sin) is lost.
   */
  private static final class SinWithAConstantDerivative extends Op {
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
      return new Var[] {gradOutput.mul(Var.constant(Pointwise.map(input(0).value(), Math::cos)))};
    }
  }

  @Test
  void namedChecksPassAndNameTheWorstInput() {
    NamedGradCheck check = GradCheck.ofNamed(in -> in.get("x").matmul(in.get("w")).tanh().sum());
    ImmutableMap<String, Tensor> point = ImmutableMap.of("x", X, "w", W);

    GradCheckResult first = check.check(point);
    GradCheckResult second = check.checkSecondOrder(point);

    assertTrue(first.passed(), first::toString);
    assertEquals(8, first.comparisons());
    assertTrue(second.passed(), second::toString);
    assertTrue(second.toString().contains("of the gradient of input '"), second::toString);
  }

  @Test
  void aWrongDerivativeOfANamedInputFailsUnderItsName() {
    GradCheckResult result =
        GradCheck.ofNamed(in -> in.get("x").add(new SinWithABug().apply(in.get("w"))).sum())
            .check(ImmutableMap.of("x", X, "w", W));

    assertFalse(result.passed(), result::toString);
    assertEquals("w", result.inputName());
    assertEquals(1, result.input());
    assertArrayEquals(new int[] {1, 1}, result.index());
    assertTrue(result.toString().contains("at input 'w' [1, 1]"), result::toString);
  }

  @Test
  void positionalResultsStillGiveTheIndex() {
    GradCheckResult result = GradCheck.of(in -> new SinWithABug().apply(in.get(0)).sum()).check(X);

    assertEquals("", result.inputName());
    assertTrue(result.toString().contains("at input 0 [1, 1]"), result::toString);
  }

  @Test
  void vjpCheckPassesAJacobianAndFailsAWrongOne() {
    GradCheckResult right =
        GradCheck.of(in -> in.get(0).matmul(in.get(1)).tanh()).checkVjp(5, X, W);
    GradCheckResult wrong = GradCheck.of(in -> new SinWithABug().apply(in.get(0))).checkVjp(5, X);

    assertTrue(right.passed(), right::toString);
    assertEquals(8, right.comparisons());
    assertFalse(wrong.passed(), wrong::toString);
    assertArrayEquals(new int[] {1, 1}, wrong.index());
  }

  @Test
  void secondOrderRandomDirectionFindsADerivativeLostToADetach() {
    GradCheck right = GradCheck.of(in -> in.get(0).tanh().square().sum());
    GradCheck lost =
        GradCheck.of(in -> new SinWithAConstantDerivative().apply(in.get(0)).square().sum());

    GradCheckResult rightResult = right.checkSecondOrderRandomDirection(3, BIG);
    GradCheckResult lostFirst = lost.checkRandomDirection(3, BIG);
    GradCheckResult lostSecond = lost.checkSecondOrderRandomDirection(3, BIG);

    assertTrue(rightResult.passed(), rightResult::toString);
    assertEquals(1, rightResult.comparisons());
    assertTrue(lostFirst.passed(), lostFirst::toString);
    assertFalse(lostSecond.passed(), lostSecond::toString);
  }

  @Test
  void parameterChecksPassAndRestoreEveryValueBitForBit() {
    Parameter x = new Parameter("x", X);
    Parameter w = new Parameter("w", W);
    ParameterGradCheck check =
        GradCheck.ofParameters(
            ImmutableMap.of("x", x, "w", w), () -> x.matmul(w).tanh().square().sum());

    GradCheckResult first = check.check();
    GradCheckResult second = check.checkSecondOrderRandomDirection(11);

    assertTrue(first.passed(), first::toString);
    assertEquals(8, first.comparisons());
    assertTrue(second.passed(), second::toString);
    assertSame(X, x.value());
    assertSame(W, w.value());
  }

  @Test
  void handDerivedParameterGradientsAreMatchedByNameAndASlipIsNamed() {
    Parameter x = new Parameter("x", X);
    Parameter w = new Parameter("w", W);
    ParameterGradCheck check =
        GradCheck.ofParameters(
            ImmutableMap.of("x", x, "w", w), () -> x.square().sum().add(w.mul(x).sum()));
    // d/dx = 2x + w and d/dw = x, derived by hand and given in the other order.
    Tensor dx = Pointwise.add(Pointwise.scale(X, 2), W);

    GradCheckResult right = check.checkHandDerived(ImmutableMap.of("w", X, "x", dx));
    GradCheckResult slip =
        check.checkHandDerived(ImmutableMap.of("w", X.withFlat(3, 0.0), "x", dx));

    assertTrue(right.passed(), right::toString);
    assertEquals(8, right.comparisons());
    assertFalse(slip.passed(), slip::toString);
    assertTrue(slip.toString().contains("at input 'w' [1, 1]"), slip::toString);
    assertSame(X, x.value());
    assertSame(W, w.value());
  }

  @Test
  void handDerivedParameterGradientsMustNameEveryParameter() {
    Parameter w = new Parameter("w", W);
    ParameterGradCheck check = GradCheck.ofParameters(ImmutableMap.of("w", w), () -> w.sum());

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> check.checkHandDerived(ImmutableMap.of("v", Tensor.ones(2, 2))));

    assertEquals(
        "gradcheck: hand-derived gradients for [v] but the parameters are [w]", e.getMessage());
  }

  @Test
  void parametersAreRestoredWhenTheLossThrows() {
    Parameter w = new Parameter("w", W);
    AtomicInteger calls = new AtomicInteger();
    ParameterGradCheck check =
        GradCheck.ofParameters(
            ImmutableMap.of("w", w),
            () -> {
              if (calls.incrementAndGet() == 4) {
                throw new IllegalStateException("the loss failed");
              }
              return w.square().sum();
            });

    assertThrows(IllegalStateException.class, check::check);
    assertSame(W, w.value());
  }

  @Test
  void aParameterWhoseGradientIsDetachedFailsUnderItsName() {
    Parameter x = new Parameter("x", X);
    Parameter w = new Parameter("w", W);
    ParameterGradCheck check =
        GradCheck.ofParameters(
            ImmutableMap.of("x", x, "w", w), () -> x.tanh().sum().add(w.detach().square().sum()));

    GradCheckResult result = check.check();

    assertFalse(result.passed(), result::toString);
    assertEquals("w", result.inputName());
    assertSame(W, w.value());
  }

  @Test
  void aParameterListedTwiceIsRejected() {
    Parameter w = new Parameter("w", W);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> GradCheck.ofParameters(ImmutableMap.of("a", w, "b", w), () -> w.sum()));

    assertEquals(
        "gradcheck: parameter 'w' is listed twice, the second time as 'b'", e.getMessage());
  }
}
