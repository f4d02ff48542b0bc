package dev.rewind.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.rewind.autodiff.check.GradCheck;
import dev.rewind.autodiff.check.GradCheckResult;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.layers.CellCase.Subject;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of the cell registry ({@link CellCases}) passes, at the default step and tolerance
 * (1e-6 each), in float64: the first-order check of its loss over the cell's own parameters by name
 * and over its input sequence, element by element; and the second-order check of the curvature
 * {@code dᵀ H d} along seeded random directions, over the parameters and over the inputs. Each
 * check starts from a case built afresh.
 */
class CellGradientRegistryProperties {
  private static final long[] DIRECTION_SEEDS = {1, 2, 3};

  @TestFactory
  Stream<DynamicNode> everyCellPassesTheGradientChecks() {
    return CellCases.all().stream()
        .map(
            cellCase ->
                dynamicContainer(
                    cellCase.name(),
                    Stream.of(
                        dynamicTest("first order over its parameters", () -> parameters(cellCase)),
                        dynamicTest("first order over its inputs", () -> inputs(cellCase)),
                        dynamicTest(
                            "second order over its parameters", () -> parameterCurvature(cellCase)),
                        dynamicTest(
                            "second order over its inputs", () -> inputCurvature(cellCase)))));
  }

  private static void parameters(CellCase cellCase) {
    Subject subject = cellCase.build().get();
    GradCheckResult result =
        GradCheck.ofParameters(subject.parameters(), () -> subject.loss().apply(constant(subject)))
            .check();
    assertTrue(result.passed(), () -> cellCase + ": " + result);
    int elements = subject.parameters().values().stream().mapToInt(p -> p.value().size()).sum();
    assertEquals(elements, result.comparisons(), cellCase::toString);
  }

  private static void inputs(CellCase cellCase) {
    Subject subject = cellCase.build().get();
    GradCheckResult result =
        GradCheck.of(in -> subject.loss().apply(in.get(0))).check(subject.inputs());
    assertTrue(result.passed(), () -> cellCase + ": " + result);
    assertEquals(subject.inputs().size(), result.comparisons(), cellCase::toString);
  }

  private static void parameterCurvature(CellCase cellCase) {
    Subject subject = cellCase.build().get();
    for (long seed : DIRECTION_SEEDS) {
      GradCheckResult result =
          GradCheck.ofParameters(
                  subject.parameters(), () -> subject.loss().apply(constant(subject)))
              .checkSecondOrderRandomDirection(seed);
      assertTrue(result.passed(), () -> cellCase + ", direction seed " + seed + ": " + result);
    }
  }

  private static void inputCurvature(CellCase cellCase) {
    Subject subject = cellCase.build().get();
    for (long seed : DIRECTION_SEEDS) {
      GradCheckResult result =
          GradCheck.of(in -> subject.loss().apply(in.get(0)))
              .checkSecondOrderRandomDirection(seed, subject.inputs());
      assertTrue(result.passed(), () -> cellCase + ", direction seed " + seed + ": " + result);
    }
  }

  private static Var constant(Subject subject) {
    return Var.constant(subject.inputs());
  }
}
