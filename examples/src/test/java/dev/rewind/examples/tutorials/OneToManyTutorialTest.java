package dev.rewind.examples.tutorials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.examples.TutorialRun;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code one-to-many} tutorial: note 001_031092f413d1c2a5.txt's captioning scenario. */
class OneToManyTutorialTest {
  private static final String ID = "one-to-many";
  @TempDir static Path folder;
  private static TutorialRun run;

  @BeforeAll
  static void runTheTutorial() throws Exception {
    run = NotesTutorialChecks.run(ID, folder);
  }

  @Test
  void theGeneratedWaveFollowsTheTargetWithinAndBeyondTheTrainedSteps() {
    assertTrue(NotesTutorialChecks.number(run, "trainedStepsError") < 0.1);
    assertTrue(NotesTutorialChecks.number(run, "beyondTrainedStepsError") < 0.2);
    double[] losses = NotesTutorialChecks.numbers(run, "losses");
    assertTrue(losses[losses.length - 1] < losses[0] / 100);
  }

  @Test
  void thePlottedWaveStartsFromTheGivenPoint() {
    double[] generated = NotesTutorialChecks.numbers(run, "generatedSine");
    double[] target = NotesTutorialChecks.numbers(run, "targetSine");
    assertEquals(OneToManyTutorial.GENERATED_STEPS + 1, generated.length);
    assertEquals(Math.sin(Math.PI / 3), target[0], 1e-15);
    assertEquals(target[0], generated[0]);
  }

  @Test
  void writesBothPlotsAsPngAndParsesAsJson() throws Exception {
    NotesTutorialChecks.wroteValidPngs(run, folder, "generated-wave.png", "learning-curve.png");
    NotesTutorialChecks.parsesAsJson(ID, run, List.of("losses", "trainedStepsError"));
  }
}
