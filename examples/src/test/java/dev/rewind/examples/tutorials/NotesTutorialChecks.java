package dev.rewind.examples.tutorials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.gson.JsonObject;
import dev.rewind.examples.Json;
import dev.rewind.examples.StrictJson;
import dev.rewind.examples.TutorialRun;
import dev.rewind.examples.Tutorials;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** What every test of the notes' tutorials checks: a run, its words, its PNG files, its JSON. */
final class NotesTutorialChecks {
  static final long SEED = 42;

  private NotesTutorialChecks() {}

  /** Runs tutorial {@code id} with seed 42 in-process, its plots in {@code folder}, no words. */
  static TutorialRun run(String id, Path folder) throws Exception {
    System.setProperty("java.awt.headless", "true");
    TutorialRun run = new TutorialRun(SEED, folder, null);
    Tutorials.get(id).run(run);
    return run;
  }

  /** What tutorial {@code id} says when run with seed 42. */
  static String narration(String id, Path folder) throws Exception {
    System.setProperty("java.awt.headless", "true");
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);
    Tutorials.get(id).run(new TutorialRun(SEED, folder, out));
    return text.toString(StandardCharsets.UTF_8);
  }

  /** The run wrote exactly the named plots to its folder, each a PNG that decodes. */
  static void wroteValidPngs(TutorialRun run, Path folder, String... names) throws IOException {
    assertEquals(names.length, run.plots().size(), () -> "plots: " + run.plots());
    for (String name : names) {
      Path png = folder.resolve(name);
      assertTrue(run.plots().contains(png), () -> name + " is not among " + run.plots());
      assertTrue(Files.size(png) > 0, name);
      assertNotNull(ImageIO.read(png.toFile()), () -> name + " is not a readable PNG");
    }
  }

  /** {@link Json#document} parses with Gson and holds every named result; returns the results. */
  @CanIgnoreReturnValue
  static JsonObject parsesAsJson(String id, TutorialRun run, List<String> results) {
    JsonObject document = StrictJson.parse(Json.document(id, run)).getAsJsonObject();
    assertEquals(id, document.get("tutorial").getAsString());
    assertEquals(SEED, document.get("seed").getAsLong());
    JsonObject parsed = document.getAsJsonObject("results");
    for (String name : results) {
      assertTrue(parsed.has(name), () -> "no result " + name + " in " + parsed.keySet());
    }
    return parsed;
  }

  static double number(TutorialRun run, String name) {
    return ((Number) run.results().get(name)).doubleValue();
  }

  static double[] numbers(TutorialRun run, String name) {
    return (double[]) run.results().get(name);
  }

  @SuppressWarnings("unchecked")
  static List<double[]> rows(TutorialRun run, String name) {
    return (List<double[]>) run.results().get(name);
  }

  static double mean(double[] values, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += values[i];
    }
    return sum / (to - from);
  }
}
