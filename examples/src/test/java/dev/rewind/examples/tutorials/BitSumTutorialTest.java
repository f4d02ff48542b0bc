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
 * The {@code bit-sum} tutorial: note 003 (003_7bf26e67bbf9cc0b.txt), closed-form gradients (22),
 * (24) and (26) against the tape, then gradient descent and Rprop on the 8-bit sum.
 */
class BitSumTutorialTest {
  private static TutorialRun run;
  private static Path folder;

  @BeforeAll
  static void runTheTutorial(@TempDir Path output) throws Exception {
    folder = output;
    run = GradientTutorialChecks.run("bit-sum", folder);
  }

  @Test
  void closedFormGradientsOfNote003EqualTheTapes() {
    assertTrue(number(run, "relativeDifferenceVx") < 1e-13);
    assertTrue(number(run, "relativeDifferenceVf") < 1e-13);
    assertEquals(number(run, "closedFormGradientVx"), number(run, "tapeGradientVx"), 1e-12);
    assertEquals(number(run, "closedFormGradientVf"), number(run, "tapeGradientVf"), 1e-12);
    assertTrue(Math.abs(number(run, "tapeGradientVx")) > 1, "a gradient worth comparing");
  }

  @Test
  void stateGradientsFollowEquation24() {
    double[] closedForm = numbers(run, "closedFormStateGradients");
    double[] tape = numbers(run, "tapeStateGradients");
    assertEquals(8, tape.length);
    for (int t = 0; t < tape.length; t++) {
      assertEquals(closedForm[t], tape[t], 1e-12 * Math.abs(closedForm[t]), "t = " + (t + 1));
    }
    assertTrue(Math.abs(tape[0]) < Math.abs(tape[7]), "with |v_f| < 1 the gradient shrinks back");
  }

  @Test
  void bothOptimizersEndNearTheSolutionOneOne() {
    assertEquals(1, number(run, "sgdFinalVx"), 0.02);
    assertEquals(1, number(run, "sgdFinalVf"), 0.02);
    assertEquals(1, number(run, "rpropFinalVx"), 1e-3);
    assertEquals(1, number(run, "rpropFinalVf"), 1e-3);
    for (String optimizer : List.of("sgd", "rprop")) {
      double[] losses = numbers(run, optimizer + "Losses");
      assertEquals(1000, losses.length);
      assertTrue(losses[losses.length - 1] < 1e-3 * losses[0], optimizer);
    }
  }

  @Test
  void rpropGetsCloserThanGradientDescentInAsManyEpochs() {
    assertTrue(number(run, "rpropFinalError") < number(run, "sgdFinalError"));
  }

  @Test
  void itWritesBothLearningCurvesInOnePng() throws Exception {
    GradientTutorialChecks.wroteValidPngs(run, folder, "bit-sum-learning-curves.png");
  }

  @Test
  void itsResultsAreOneJsonDocument() {
    GradientTutorialChecks.parsesAsJson(
        "bit-sum", run, List.of("tapeGradientVx", "sgdLosses", "rpropFinalVf"));
  }
}
