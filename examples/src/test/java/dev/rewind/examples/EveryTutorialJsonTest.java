package dev.rewind.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import dev.rewind.examples.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code rewind run <id> --json} prints strict JSON for every tutorial, whatever its numbers. */
class EveryTutorialJsonTest {

  static Stream<String> ids() {
    return Tutorials.all().stream().map(Tutorial::id);
  }

  @ParameterizedTest
  @MethodSource("ids")
  void jsonOutputParsesWithAStrictParser(String id, @TempDir Path folder) {
    System.setProperty("java.awt.headless", "true");
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int exitCode;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      exitCode = Main.commandLine().execute("run", id, "--json", "--out", folder.toString());
    } finally {
      System.setOut(stdout);
    }
    assertEquals(0, exitCode);
    JsonObject document =
        StrictJson.parse(captured.toString(StandardCharsets.UTF_8)).getAsJsonObject();
    assertEquals(id, document.get("tutorial").getAsString());
  }
}
