package dev.rewind.examples.tutorials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.rewind.examples.Tutorial;
import dev.rewind.examples.Tutorials;
import dev.rewind.examples.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gradient tutorials on the command line. */
class GradientTutorialsCommandLineTest {

  @Test
  void theGroupListsItsTutorialsInOrder() {
    assertEquals(
        List.of("bit-sum", "vanishing-gradients", "clipping", "encoder-decoder", "custom-cell"),
        GradientTutorials.all().stream().map(Tutorial::id).toList());
    for (Tutorial tutorial : GradientTutorials.all()) {
      assertEquals(tutorial.getClass(), Tutorials.get(tutorial.id()).getClass());
    }
  }

  @Test
  void runWithJsonPrintsOnlyOneJsonDocument(@TempDir Path folder) {
    System.setProperty("java.awt.headless", "true");
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int exitCode;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      exitCode =
          Main.commandLine()
              .execute("run", "vanishing-gradients", "--json", "--out", folder.toString());
    } finally {
      System.setOut(stdout);
    }
    assertEquals(0, exitCode);
    JsonObject document =
        JsonParser.parseString(captured.toString(StandardCharsets.UTF_8)).getAsJsonObject();
    assertEquals("vanishing-gradients", document.get("tutorial").getAsString());
    JsonObject results = document.getAsJsonObject("results");
    assertTrue(results.get("boundHolds").getAsBoolean());
    assertEquals(51, results.getAsJsonArray("normsTanhBelowOne").size());
    Path png = folder.resolve("vanishing-gradients").resolve("vanishing-gradients.png");
    assertTrue(Files.exists(png));
    assertEquals(png.toString(), document.getAsJsonArray("plots").get(0).getAsString());
  }
}
