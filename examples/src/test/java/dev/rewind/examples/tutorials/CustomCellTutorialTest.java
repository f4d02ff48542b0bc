package dev.rewind.examples.tutorials;

import static dev.rewind.examples.tutorials.GradientTutorialChecks.mean;
import static dev.rewind.examples.tutorials.GradientTutorialChecks.number;
import static dev.rewind.examples.tutorials.GradientTutorialChecks.numbers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.check.GradCheck;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.examples.TutorialRun;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.RecurrentCell;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code custom-cell} tutorial: the minimal gated unit, gradient-checked and trained. */
class CustomCellTutorialTest {
  private static TutorialRun run;
  private static Path folder;

  @BeforeAll
  static void runTheTutorial(@TempDir Path output) throws Exception {
    folder = output;
    run = GradientTutorialChecks.run("custom-cell", folder);
  }

  @Test
  void theUnrolledCellPassesTheFirstOrderGradientCheck() {
    assertEquals(true, run.results().get("gradientCheckPassed"));
    assertTrue(number(run, "gradientCheckWorstError") <= 1e-6);
    assertEquals(52, number(run, "gradientCheckComparisons"), "16 inputs and 36 weights");
    String where = (String) run.results().get("gradientCheckWhere");
    assertTrue(where.matches("(x|[WUb]_[fh]) \\[[0-9, ]+\\]"), where);
  }

  @Test
  void oneStepIsTheConvexMixOfTheOldStateAndTheCandidate() {
    // With f = σ(0) = 1/2 and a zero candidate (all weights 0), h_t = h_{t-1} / 2.
    List<Var> zeros =
        List.of(
            Var.constant(Tensor.zeros(1, 2)),
            Var.constant(Tensor.zeros(2, 2)),
            Var.constant(Tensor.zeros(2)),
            Var.constant(Tensor.zeros(1, 2)),
            Var.constant(Tensor.zeros(2, 2)),
            Var.constant(Tensor.zeros(2)));
    RecurrentCell<HiddenState> cell = CustomCellTutorial.minimalGatedUnit(zeros);
    HiddenState previous = new HiddenState(Var.constant(Tensor.matrix(new double[][] {{2, -4}})));
    Var h = cell.step(Var.constant(Tensor.ones(1, 1)), previous).output();
    assertEquals(Tensor.matrix(new double[][] {{1, -2}}), h.value());
  }

  @Test
  void itsGradientIsRightForOtherWeightsToo() {
    Random random = new Random(7);
    List<Tensor> weights = CustomCellTutorial.randomWeights(3, 2, random);
    Tensor x = Tensor.randomNormal(Shape.of(1, 3, 3), 0, 1, random);
    GradCheck.of(
            in ->
                new Recurrent<>(CustomCellTutorial.minimalGatedUnit(in.subList(1, in.size())))
                    .run(in.get(0))
                    .last()
                    .sum())
        .eps(1e-5)
        .check(
            x,
            weights.get(0),
            weights.get(1),
            weights.get(2),
            weights.get(3),
            weights.get(4),
            weights.get(5))
        .orThrow();
  }

  @Test
  void itLearnsTheAddingProblemWellBelowTheBaseline() {
    double[] losses = numbers(run, "losses");
    assertEquals(300, losses.length);
    assertTrue(mean(losses, 280, 300) < mean(losses, 0, 20) / 10);
    assertTrue(number(run, "testLoss") < number(run, "baselineLoss") / 10);
  }

  @Test
  void itWritesItsLearningCurveAsAPng() throws Exception {
    GradientTutorialChecks.wroteValidPngs(run, folder, "custom-cell-learning-curve.png");
  }

  @Test
  void itsResultsAreOneJsonDocument() {
    GradientTutorialChecks.parsesAsJson(
        "custom-cell", run, List.of("gradientCheckWorstError", "gradientCheckWhere", "testLoss"));
  }
}
