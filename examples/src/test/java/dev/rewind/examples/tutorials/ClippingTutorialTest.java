package dev.rewind.examples.tutorials;

import static dev.rewind.examples.tutorials.GradientTutorialChecks.mean;
import static dev.rewind.examples.tutorials.GradientTutorialChecks.number;
import static dev.rewind.examples.tutorials.GradientTutorialChecks.numbers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.examples.TutorialRun;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code clipping} tutorial: an exploding run, and the same run clipped by norm and value. */
class ClippingTutorialTest {
  private static TutorialRun run;
  private static Path folder;

  @BeforeAll
  static void runTheTutorial(@TempDir Path output) throws Exception {
    folder = output;
    run = GradientTutorialChecks.run("clipping", folder);
  }

  @Test
  void withoutClippingTheLossOverflowsAndTheOptimizerRefusesTheStep() {
    double[] losses = numbers(run, "unclippedLosses");
    assertTrue(losses.length < 10, "it fails within a few steps: " + Arrays.toString(losses));
    assertFalse(Double.isFinite(losses[losses.length - 1]));
    assertTrue(losses[1] > 1e6 * losses[0], Arrays.toString(losses));
    String failure = (String) run.results().get("unclippedFailure");
    assertTrue(failure.contains("the step was not taken"), failure);
  }

  @Test
  void theFirstGradientIsHugeForEveryRun() {
    for (String key : List.of("unclipped", "normClipped", "valueClipped")) {
      assertTrue(numbers(run, key + "GradientNorms")[0] > 1e3, key);
    }
  }

  @Test
  void clippedRunsStayFiniteAndTheirLossFalls() {
    for (String key : List.of("normClipped", "valueClipped")) {
      double[] losses = numbers(run, key + "Losses");
      assertEquals(150, losses.length, key);
      assertTrue(Arrays.stream(losses).allMatch(Double::isFinite), key);
      assertEquals(0, number(run, key + "SkippedSteps"), key);
      assertTrue(number(run, key + "ClippedSteps") >= 10, key);
      assertTrue(mean(losses, 140, 150) < 1e-3 * losses[0], key);
      assertTrue(number(run, key + "TestLoss") < 1e-3 * losses[0], key);
      double[] norms = numbers(run, key + "GradientNorms");
      assertTrue(norms[norms.length - 1] < 1e-3 * norms[0], key);
    }
  }

  @Test
  void normClippedTrainingBeatsRepeatingTheLastSample() {
    assertTrue(number(run, "normClippedTestLoss") < number(run, "repeatLastSampleLoss"));
  }

  @Test
  void itWritesLossesAndGradientNormsAsPngs() throws Exception {
    GradientTutorialChecks.wroteValidPngs(
        run, folder, "clipping-loss.png", "clipping-gradient-norms.png");
  }

  @Test
  void itsResultsAreOneJsonDocumentEvenWithNaNInThem() {
    GradientTutorialChecks.parsesAsJson(
        "clipping", run, List.of("unclippedLosses", "normClippedLosses", "valueClippedTestLoss"));
  }
}
