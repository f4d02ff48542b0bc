package dev.rewind.autodiff.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every check, positional, named or over parameters, refuses a float32 input before it evaluates
 * anything, naming the check and the input, and says to convert to float64.
 */
class GradCheckRefusesFloat32Test {
  private static final Tensor X = Tensor.matrix(new double[][] {{0.3, -1.2}, {0.7, 0.25}});
  private static final Tensor W = Tensor.matrix(new double[][] {{1.1, -0.4}, {0.6, 0.9}});
  private static final Tensor W32 = W.to(DType.FLOAT32);
  private static final long SEED = 7;

  private static final String CONVERT = "gradient checks run in float64: convert it with";

  @Test
  void everyPositionalCheckNamesTheCheckAndTheInputsPosition() {
    GradCheck check = GradCheck.of(in -> in.get(0).matmul(in.get(1)).tanh().sum());
    Map<String, Executable> calls =
        ImmutableMap.<String, Executable>builder()
            .put("check", () -> check.check(X, W32))
            .put("checkSecondOrder", () -> check.checkSecondOrder(X, W32))
            .put("checkRandomDirection", () -> check.checkRandomDirection(SEED, X, W32))
            .put(
                "checkSecondOrderRandomDirection",
                () -> check.checkSecondOrderRandomDirection(SEED, X, W32))
            .put("checkVjp", () -> check.checkVjp(SEED, X, W32))
            .put("checkHandDerived", () -> check.checkHandDerived(List.of(X, W), X, W32))
            .buildOrThrow();

    assertEachRefused(calls, "input 1 [2, 2]");
  }

  @Test
  void everyNamedCheckNamesTheInput() {
    NamedGradCheck check = GradCheck.ofNamed(in -> in.get("x").matmul(in.get("w")).tanh().sum());
    ImmutableMap<String, Tensor> point = ImmutableMap.of("x", X, "w", W32);
    Map<String, Executable> calls =
        ImmutableMap.<String, Executable>builder()
            .put("check", () -> check.check(point))
            .put("checkSecondOrder", () -> check.checkSecondOrder(point))
            .put("checkRandomDirection", () -> check.checkRandomDirection(SEED, point))
            .put(
                "checkSecondOrderRandomDirection",
                () -> check.checkSecondOrderRandomDirection(SEED, point))
            .put("checkVjp", () -> check.checkVjp(SEED, point))
            .buildOrThrow();

    assertEachRefused(calls, "input 'w' [2, 2]");
  }

  @Test
  void everyParameterCheckNamesTheParameterAndLeavesItAsItWas() {
    Parameter x = new Parameter("x", X);
    Parameter w = new Parameter("w", W32);
    ParameterGradCheck check =
        GradCheck.ofParameters(
            ImmutableMap.of("input", x, "weight", w), () -> x.matmul(w.to(DType.FLOAT64)).sum());
    Map<String, Function<ParameterGradCheck, GradCheckResult>> calls =
        ImmutableMap.<String, Function<ParameterGradCheck, GradCheckResult>>builder()
            .put("check", ParameterGradCheck::check)
            .put("checkSecondOrder", ParameterGradCheck::checkSecondOrder)
            .put("checkRandomDirection", c -> c.checkRandomDirection(SEED))
            .put("checkSecondOrderRandomDirection", c -> c.checkSecondOrderRandomDirection(SEED))
            .put("checkVjp", c -> c.checkVjp(SEED))
            .put("checkHandDerived", c -> c.checkHandDerived(Map.of("input", X, "weight", W)))
            .buildOrThrow();

    calls.forEach(
        (name, call) ->
            assertRefused(
                () -> call.apply(check),
                "gradcheck "
                    + name
                    + ": parameter 'weight' [2, 2] is float32; "
                    + CONVERT
                    + " convertTo(DType.FLOAT64), or its layer with to(DType.FLOAT64)"));
    assertSame(X, x.value());
    assertSame(W32, w.value());
  }

  @Test
  void aParameterConvertedToFloat64IsChecked() {
    Parameter x = new Parameter("x", X);
    Parameter w = new Parameter("w", W32);
    w.convertTo(DType.FLOAT64);

    GradCheckResult result =
        GradCheck.ofParameters(ImmutableMap.of("x", x, "w", w), () -> x.matmul(w).tanh().sum())
            .check();

    assertTrue(result.passed(), result::toString);
  }

  /** Every call refused, naming its check and {@code input}, the float32 one. */
  private static void assertEachRefused(Map<String, Executable> calls, String input) {
    calls.forEach(
        (name, call) ->
            assertRefused(
                call,
                "gradcheck "
                    + name
                    + ": "
                    + input
                    + " is float32; "
                    + CONVERT
                    + " to(DType.FLOAT64)"));
  }

  private static void assertRefused(Executable call, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call, message);
    assertEquals(message, e.getMessage());
  }
}
