package dev.rewind.examples.tutorials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.examples.TutorialRun;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code example3-training} tutorial trains Example 3 of note 000_a414762ec7da5e42.txt. */
class Example3TrainingTutorialTest {
  private static final String ID = "example3-training";
  @TempDir static Path folder;
  private static TutorialRun run;

  @BeforeAll
  static void runTheTutorial() throws Exception {
    run = NotesTutorialChecks.run(ID, folder);
  }

  @Test
  void theLossFallsBelowChance() {
    double[] losses = NotesTutorialChecks.numbers(run, "losses");
    double finalLoss = NotesTutorialChecks.number(run, "finalLoss");
    assertEquals(Example3TrainingTutorial.EPOCHS, losses.length);
    // The labels are random: all the network can do is memorise some of them, and how many depends
    // on the last bits of every sum (the matrix kernel's order of summation). Below chance it must
    // be.
    assertTrue(finalLoss < Math.log(3), "final loss " + finalLoss);
    assertTrue(
        NotesTutorialChecks.mean(losses, losses.length - 50, losses.length)
            < NotesTutorialChecks.mean(losses, 0, 50),
        "the learning curve does not fall");
  }

  @Test
  void theNetworkMemorisesMoreLabelsThanChance() {
    // Guessing gets 1/3 of 1024 labels right, give or take 1.5% (one standard deviation): more
    // than three deviations above that is more than chance. How far above it training ends is a
    // matter of the seed and of the last bit of every exponential (seeds 1 to 6 end between 39%
    // and 47%), so the test asks no more than that.
    double chance = 1.0 / 3;
    double deviation = Math.sqrt(chance * (1 - chance) / 1024);
    assertTrue(NotesTutorialChecks.number(run, "accuracy") > chance + 3 * deviation);
  }

  @Test
  void theNotesNetworkHasFiveHiddenUnits() {
    // U [8, 5], W [5, 5], b [5], V [5, 3], c [3]
    assertEquals(40 + 25 + 5 + 15 + 3, NotesTutorialChecks.number(run, "parameters"));
  }

  @Test
  void labelsOfOneSequenceAreTheNotesThreeClassesOverSixtyFourSteps() {
    double[] truth = NotesTutorialChecks.numbers(run, "trueLabelsSequence1");
    double[] predicted = NotesTutorialChecks.numbers(run, "predictedLabelsSequence1");
    assertEquals(64, truth.length);
    assertEquals(64, predicted.length);
    for (int t = 0; t < 64; t++) {
      assertTrue(truth[t] >= 0 && truth[t] <= 2 && predicted[t] >= 0 && predicted[t] <= 2);
    }
  }

  @Test
  void writesTheLearningCurveAndTheLabelsAsPngAndParsesAsJson() throws Exception {
    NotesTutorialChecks.wroteValidPngs(run, folder, "learning-curve.png", "predicted-labels.png");
    NotesTutorialChecks.parsesAsJson(ID, run, List.of("losses", "finalLoss", "accuracy"));
  }
}
