package dev.rewind.examples.tutorials;

import static dev.rewind.examples.tutorials.GradientTutorialChecks.mean;
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

/** The {@code encoder-decoder} tutorial: 5 symbols in, 6 out (reversed, then an end marker). */
class EncoderDecoderTutorialTest {
  private static TutorialRun run;
  private static Path folder;

  @BeforeAll
  static void runTheTutorial(@TempDir Path output) throws Exception {
    folder = output;
    run = GradientTutorialChecks.run("encoder-decoder", folder);
  }

  @Test
  void teacherForcedLossFalls() {
    double[] losses = numbers(run, "losses");
    assertEquals(300, losses.length);
    assertEquals(Math.log(7), losses[0], 0.2, "an untrained decoder guesses among 7 classes");
    assertTrue(mean(losses, 280, 300) < mean(losses, 0, 20) / 5);
  }

  @Test
  void generatedSequencesAreMostlyTheReversedSource() {
    assertTrue(number(run, "symbolAccuracy") > 0.9);
    assertTrue(number(run, "sequenceAccuracy") > 0.8);
  }

  @Test
  void examplesShowSourceGeneratedAndTarget() {
    @SuppressWarnings("unchecked")
    List<String> examples = (List<String>) run.results().get("examples");
    assertEquals(6, examples.size());
    for (String example : examples) {
      assertTrue(example.matches("([a-f] ){4}[a-f] -> .*\\(target ([a-f] ){5}<end>\\).*"), example);
    }
  }

  @Test
  void itWritesItsLearningCurveAsAPng() throws Exception {
    GradientTutorialChecks.wroteValidPngs(run, folder, "encoder-decoder-learning-curve.png");
  }

  @Test
  void itsResultsAreOneJsonDocument() {
    GradientTutorialChecks.parsesAsJson(
        "encoder-decoder", run, List.of("losses", "symbolAccuracy", "examples"));
  }
}
