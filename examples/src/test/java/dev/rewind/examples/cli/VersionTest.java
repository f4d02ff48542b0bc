package dev.rewind.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class VersionTest {
  @Test
  void versionIsThePomsVersion() {
    String expected = System.getProperty("rewind.pom.version");
    assertNotNull(expected, "surefire passes the pom's version as rewind.pom.version");
    StringWriter out = new StringWriter();
    CommandLine command = Main.commandLine();
    command.setOut(new PrintWriter(out, true));

    int exitCode = command.execute("--version");

    assertEquals(0, exitCode);
    assertEquals("rewind " + expected, out.toString().strip());
  }
}
