package dev.rewind.examples.tutorials;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.rewind.examples.Json;
import dev.rewind.examples.StrictJson;
import dev.rewind.examples.TutorialRun;
import dev.rewind.examples.Tutorials;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code hello} tutorial: note 000's character model, 000_a414762ec7da5e42.txt. */
class HelloTutorialTest {
  private static TutorialRun run;

  @BeforeAll
  static void runTheTutorial(@TempDir Path folder) throws Exception {
    System.setProperty("java.awt.headless", "true");
    run = new TutorialRun(42, folder, null);
    Tutorials.get("hello").run(run);
  }

  @Test
  void afterTrainingItPredictsElloForHell() {
    assertEquals("ello", run.results().get("predictedAfter"));
    assertEquals(1.0, run.results().get("accuracyAfter"));
    assertTrue((double) run.results().get("accuracyBefore") < 1.0);
  }

  @Test
  void theLossFallsAndTheRightLettersBecomeNearlyCertain() {
    double before = (double) run.results().get("lossBefore");
    double after = (double) run.results().get("lossAfter");
    assertTrue(before > 1 && after < 0.01, before + " -> " + after);
    @SuppressWarnings("unchecked")
    List<double[]> probabilities = (List<double[]>) run.results().get("probabilitiesAfter");
    int[] ello = {1, 2, 2, 3};
    for (int t = 0; t < ello.length; t++) {
      assertEquals(1, sum(probabilities.get(t)), 1e-12);
      assertTrue(probabilities.get(t)[ello[t]] > 0.99, "step " + t);
    }
  }

  @Test
  void samplingAtTemperatureZeroSpellsHello() {
    @SuppressWarnings("unchecked")
    Map<String, List<String>> samples = (Map<String, List<String>>) run.results().get("samples");
    assertEquals(List.of("hello"), samples.get("T=0"));
    assertEquals(5, samples.get("T=3").size());
    samples.values().forEach(words -> words.forEach(w -> assertEquals(5, w.length(), w)));
  }

  @Test
  void theSameSeedGivesTheSameNumbers(@TempDir Path folder) throws Exception {
    TutorialRun again = new TutorialRun(42, folder, null);
    Tutorials.get("hello").run(again);
    assertArrayEquals(
        (double[]) run.results().get("learningCurve"),
        (double[]) again.results().get("learningCurve"));
    assertEquals(run.results().get("samples"), again.results().get("samples"));
  }

  @Test
  void itWritesItsLearningCurveAsAPng() throws Exception {
    assertEquals(1, run.plots().size());
    assertTrue(run.plots().get(0).endsWith("hello-learning-curve.png"));
    assertNotNull(ImageIO.read(run.plots().get(0).toFile()));
  }

  @Test
  void itsResultsAreOneJsonDocument() {
    JsonObject document = StrictJson.parse(Json.document("hello", run)).getAsJsonObject();
    JsonObject results = document.getAsJsonObject("results");
    assertEquals("ello", results.get("predictedAfter").getAsString());
    assertEquals(4, results.getAsJsonArray("probabilitiesAfter").size());
  }

  private static double sum(double[] values) {
    double total = 0;
    for (double v : values) {
      total += v;
    }
    return total;
  }
}
