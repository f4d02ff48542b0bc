package dev.rewind.examples.tutorials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.rewind.examples.StrictJson;
import dev.rewind.examples.Tutorial;
import dev.rewind.examples.Tutorials;
import dev.rewind.examples.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The notes' tutorials on the command line. */
class NotesTutorialsCommandLineTest {

  @Test
  void theGroupListsItsTutorialsInOrder() {
    assertEquals(
        List.of(
            "example1-elman",
            "example2-jordan",
            "example3-training",
            "parity",
            "xor-sequence",
            "many-to-one",
            "one-to-many"),
        NotesTutorials.all().stream().map(Tutorial::id).toList());
    for (Tutorial tutorial : NotesTutorials.all()) {
      assertEquals(tutorial, Tutorials.get(tutorial.id()));
    }
  }

  @Test
  void runWithJsonPrintsOnlyOneJsonDocumentAtFullPrecision(@TempDir Path folder) {
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int exitCode;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      exitCode =
          Main.commandLine().execute("run", "example1-elman", "--json", "--out", folder.toString());
    } finally {
      System.setOut(stdout);
    }
    assertEquals(0, exitCode);
    JsonObject document =
        StrictJson.parse(captured.toString(StandardCharsets.UTF_8)).getAsJsonObject();
    assertEquals("example1-elman", document.get("tutorial").getAsString());
    JsonObject results = document.getAsJsonObject("results");
    assertTrue(results.get("agreesWithNotes").getAsBoolean());
    double h11 = results.getAsJsonArray("h").get(0).getAsJsonArray().get(0).getAsDouble();
    assertEquals(Math.tanh(-1.0 + 2 * 0.5 + 0.2), h11, 0.0);
    assertEquals(0, document.getAsJsonArray("plots").size());
  }
}
