package dev.rewind.examples.tutorials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.examples.TutorialRun;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code parity} tutorial learns note 001_031092f413d1c2a5.txt's parity task. */
class ParityTutorialTest {
  private static final String ID = "parity";
  @TempDir static Path folder;
  private static TutorialRun run;

  @BeforeAll
  static void runTheTutorial() throws Exception {
    run = NotesTutorialChecks.run(ID, folder);
  }

  @Test
  void theLossFallsFromACoinFlipToNearZero() {
    double[] losses = NotesTutorialChecks.numbers(run, "losses");
    assertEquals(Math.log(2), NotesTutorialChecks.mean(losses, 0, 10), 0.05);
    assertTrue(NotesTutorialChecks.mean(losses, losses.length - 20, losses.length) < 0.05);
  }

  @Test
  void answersAreRightOnNewStringsAndOnFourTimesLongerOnes() {
    assertTrue(NotesTutorialChecks.number(run, "perStepAccuracy") > 0.99);
    assertTrue(NotesTutorialChecks.number(run, "finalAnswerAccuracy") > 0.99);
    assertTrue(NotesTutorialChecks.number(run, "longPerStepAccuracy") > 0.95);
    assertTrue(NotesTutorialChecks.number(run, "longFinalAnswerAccuracy") > 0.9);
  }

  @Test
  void theNotesStringsGetTheNotesAnswers() {
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> examples =
        (Map<String, Map<String, Object>>) run.results().get("notesExamples");
    assertEquals("0000011001", examples.get("1000010101").get("truth"));
    assertEquals("0000011001", examples.get("1000010101").get("predicted"));
    assertEquals("000010", examples.get("100011").get("truth"));
    assertEquals("000010", examples.get("100011").get("predicted"));
  }

  @Test
  void writesTheLearningCurveAsPngAndParsesAsJson() throws Exception {
    NotesTutorialChecks.wroteValidPngs(run, folder, "learning-curve.png");
    NotesTutorialChecks.parsesAsJson(
        ID, run, List.of("losses", "perStepAccuracy", "notesExamples"));
  }
}
