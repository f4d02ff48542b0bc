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

/** The {@code many-to-one} tutorial: note 001_031092f413d1c2a5.txt's sentiment scenario. */
class ManyToOneTutorialTest {
  private static final String ID = "many-to-one";
  @TempDir static Path folder;
  private static TutorialRun run;

  @BeforeAll
  static void runTheTutorial() throws Exception {
    run = NotesTutorialChecks.run(ID, folder);
  }

  @Test
  void reviewsOfAnyLengthAreClassifiedFromTheirLastState() {
    assertTrue(NotesTutorialChecks.number(run, "accuracy") > 0.9);
    double[] losses = NotesTutorialChecks.numbers(run, "losses");
    assertTrue(NotesTutorialChecks.mean(losses, losses.length - 20, losses.length) < 0.25);
  }

  @Test
  void paddingAReviewChangesNothing() {
    assertEquals(0, NotesTutorialChecks.number(run, "paddingEffect"), 1e-12);
  }

  @Test
  void theExampleReviewsGetTheSignOfTheirScore() {
    @SuppressWarnings("unchecked")
    Map<String, Double> examples = (Map<String, Double>) run.results().get("examples");
    for (Map.Entry<String, Double> example : examples.entrySet()) {
      int score = ManyToOneTutorial.score(ManyToOneTutorial.encode(example.getKey()));
      assertEquals(score > 0, example.getValue() > 0.5, example.getKey());
    }
  }

  @Test
  void writesTheLearningCurveAsPngAndParsesAsJson() throws Exception {
    NotesTutorialChecks.wroteValidPngs(run, folder, "learning-curve.png");
    NotesTutorialChecks.parsesAsJson(ID, run, List.of("losses", "accuracy", "examples"));
  }
}
