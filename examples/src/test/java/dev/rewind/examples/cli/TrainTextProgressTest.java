package dev.rewind.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** How {@code train-text} shows its progress, by what stderr is. */
class TrainTextProgressTest {
  @TempDir static Path folder;

  @BeforeAll
  static void headless() {
    System.setProperty("java.awt.headless", "true");
  }

  @Test
  void aRedirectedStderrGetsPlainLinesWithoutCarriageReturns() {
    String err = trainWithStderr(false, folder.resolve("redirected"));

    assertFalse(err.contains("\r"), err);
    assertEquals(4, err.lines().filter(line -> line.startsWith("step ")).count(), err);
    assertTrue(err.contains("step 20/20"), err);
  }

  @Test
  void aTerminalGetsOneLineRedrawnInPlace() {
    String err = trainWithStderr(true, folder.resolve("terminal"));

    assertTrue(err.contains("\rstep "), err);
    assertTrue(err.contains("step 20/20"), err);
  }

  private static String trainWithStderr(boolean terminal, Path out) {
    StringWriter err = new StringWriter();
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(new StringWriter(), true));
    commandLine.setErr(new PrintWriter(err, true));
    TrainTextCommand command = commandLine.getSubcommands().get("train-text").getCommand();
    command.stderrIsTerminal = () -> terminal;
    int exitCode =
        commandLine.execute(
            "train-text",
            "--steps",
            "20",
            "--log-every",
            "5",
            "--hidden",
            "8",
            "--embedding",
            "4",
            "--batch",
            "2",
            "--window",
            "8",
            "--sample-length",
            "10",
            "--out",
            out.toString());
    assertEquals(0, exitCode, err.toString());
    return err.toString();
  }
}
