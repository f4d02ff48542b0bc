package dev.rewind.examples.tutorials;

import static dev.rewind.examples.tutorials.GradientTutorialChecks.number;
import static dev.rewind.examples.tutorials.GradientTutorialChecks.numbers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.examples.TutorialRun;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code vanishing-gradients} tutorial: ‖∂h_T/∂h_k‖ from the tape against the bound (γλ)^(T−k)
 * of notes 002 and 004 (002_41c2d3efad5304f0.txt, 004_54bd929fd6f3ab2a.txt).
 */
class VanishingGradientsTutorialTest {
  private static TutorialRun run;
  private static Path folder;

  @BeforeAll
  static void runTheTutorial(@TempDir Path output) throws Exception {
    folder = output;
    run = GradientTutorialChecks.run("vanishing-gradients", folder);
  }

  @Test
  void recurrentMatricesHaveTheLargestSingularValuesAsked() {
    assertEquals(0.9, number(run, "lambdaBelowOne"), 1e-9);
    assertEquals(1.8, number(run, "lambdaAboveOne"), 1e-9);
  }

  @Test
  void tapeJacobianOfOneStepIsDiagOfTanhDerivativeTimesW() {
    assertTrue(number(run, "oneStepJacobianError") < 1e-14);
  }

  @Test
  void jacobianNormsNeverExceedTheBoundOfTheNotes() {
    assertEquals(true, run.results().get("boundHolds"));
    assertBelow(numbers(run, "normsTanhBelowOne"), numbers(run, "boundBelowOne"));
    assertBelow(numbers(run, "normsTanhAboveOne"), numbers(run, "boundAboveOne"));
  }

  @Test
  void gradientsVanishBelowOneAndGrowAboveIt() {
    double[] below = numbers(run, "normsTanhBelowOne");
    double[] above = numbers(run, "normsTanhAboveOne");
    assertEquals(51, below.length);
    assertEquals(1, below[0], 1e-12, "dh_T/dh_T is the identity");
    assertTrue(below[50] < 1e-3, "vanished: " + below[50]);
    assertTrue(above[50] > 1, "grew: " + above[50]);
    assertTrue(number(run, "rateTanhBelowOne") < 0.9);
    assertTrue(number(run, "rateTanhAboveOne") > 1);
    assertTrue(number(run, "rateTanhAboveOne") < 1.8);
  }

  @Test
  void forgetGatesNearOneKeepTheLstmGradientAlive() {
    assertTrue(number(run, "rateLstm") < 0.8);
    assertTrue(number(run, "rateLstmForgetBias") > 0.95);
    assertTrue(numbers(run, "normsLstmForgetBias")[50] > 1e4 * numbers(run, "normsLstm")[50]);
  }

  @Test
  void itWritesAllCurvesInOnePng() throws Exception {
    GradientTutorialChecks.wroteValidPngs(run, folder, "vanishing-gradients.png");
  }

  @Test
  void itsResultsAreOneJsonDocument() {
    GradientTutorialChecks.parsesAsJson(
        "vanishing-gradients", run, List.of("normsTanhBelowOne", "rateLstm", "boundHolds"));
  }

  private static void assertBelow(double[] norms, double[] bound) {
    for (int d = 0; d < norms.length; d++) {
      assertTrue(norms[d] <= bound[d] * (1 + 1e-12), "T - k = " + d);
    }
  }
}
