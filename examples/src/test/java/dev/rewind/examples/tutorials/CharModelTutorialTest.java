package dev.rewind.examples.tutorials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.rewind.datasets.text.Corpus;
import dev.rewind.datasets.text.DefaultCorpus;
import dev.rewind.examples.Json;
import dev.rewind.examples.StrictJson;
import dev.rewind.examples.TutorialRun;
import dev.rewind.examples.Tutorials;
import dev.rewind.examples.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code char-model} tutorial, on the default corpus, and the text tutorials' JSON output. */
class CharModelTutorialTest {
  private static TutorialRun run;

  @BeforeAll
  static void runTheTutorial(@TempDir Path folder) throws Exception {
    System.setProperty("java.awt.headless", "true");
    run = new TutorialRun(42, folder, null);
    Tutorials.get("char-model").run(run);
  }

  @Test
  void itTrainsOnTheDefaultCorpusWhenNoFileIsNamed() {
    assertEquals(DefaultCorpus.NAME, run.results().get("corpus"));
  }

  @Test
  void theValidationLossFallsBelowWhatCharacterFrequenciesGive() {
    double before = (double) run.results().get("validationLossBefore");
    double after = (double) run.results().get("validationLossAfter");
    double uniform = (double) run.results().get("uniformLoss");
    double unigram = (double) run.results().get("unigramLoss");
    assertEquals(uniform, before, 0.2, "an untrained model is about as good as a uniform guess");
    assertTrue(after < unigram - 0.5, "after " + after + ", frequencies alone " + unigram);
    double[] validation = (double[]) run.results().get("validationLosses");
    assertEquals(7, validation.length, "before training, every 25 steps, and after");
    double[] training = (double[]) run.results().get("trainingLosses");
    assertTrue(mean(training, 0, 10) > mean(training, training.length - 10, training.length) + 1);
  }

  @Test
  void itSamplesAtTwoTemperatures() {
    @SuppressWarnings("unchecked")
    Map<String, String> samples = (Map<String, String>) run.results().get("samples");
    assertEquals(2, samples.size());
    samples.values().forEach(s -> assertTrue(s.startsWith("If ") && s.length() == 163, s));
  }

  @Test
  void itWritesItsLearningCurveAsAPng() throws Exception {
    assertEquals(1, run.plots().size());
    assertNotNull(ImageIO.read(run.plots().get(0).toFile()));
  }

  @Test
  void itsResultsAreOneJsonDocument() {
    JsonObject document = StrictJson.parse(Json.document("char-model", run)).getAsJsonObject();
    assertEquals("char-model", document.get("tutorial").getAsString());
    assertTrue(document.getAsJsonObject("results").get("validationLossAfter").getAsDouble() > 0);
  }

  @Test
  void theSystemPropertyNamesTheTextFile(@TempDir Path folder) throws Exception {
    Path file = folder.resolve("mine.txt");
    Files.writeString(file, "a small text of my own\n", StandardCharsets.UTF_8);
    String previous = System.getProperty(CharModelTutorial.PROPERTY);
    System.setProperty(CharModelTutorial.PROPERTY, file.toString());
    try {
      Corpus corpus = CharModelTutorial.corpus();
      assertEquals(file.toString(), corpus.name());
      assertEquals("a small text of my own\n", corpus.text());
    } finally {
      if (previous == null) {
        System.clearProperty(CharModelTutorial.PROPERTY);
      } else {
        System.setProperty(CharModelTutorial.PROPERTY, previous);
      }
    }
  }

  @Test
  void runWithJsonPrintsOnlyOneJsonDocument(@TempDir Path folder) {
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int exitCode;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      exitCode = Main.commandLine().execute("run", "hello", "--json", "--out", folder.toString());
    } finally {
      System.setOut(stdout);
    }
    assertEquals(0, exitCode);
    JsonObject document =
        StrictJson.parse(captured.toString(StandardCharsets.UTF_8)).getAsJsonObject();
    assertEquals("hello", document.get("tutorial").getAsString());
    assertEquals(1.0, document.getAsJsonObject("results").get("accuracyAfter").getAsDouble());
    assertTrue(Files.exists(folder.resolve("hello").resolve("hello-learning-curve.png")));
  }

  private static double mean(double[] values, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += values[i];
    }
    return sum / (to - from);
  }
}
