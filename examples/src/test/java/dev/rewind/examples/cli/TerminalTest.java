package dev.rewind.examples.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TerminalTest {

  @Test
  void stderrOnAPseudoTerminalOrConsoleIsATerminal() {
    assertTrue(
        Terminal.stderrIsTerminal(true, "xterm-256color", Optional.of(Path.of("/dev/pts/3"))));
    assertTrue(Terminal.stderrIsTerminal(true, "linux", Optional.of(Path.of("/dev/tty1"))));
  }

  @Test
  void stderrRedirectedToAFileOrPipeIsNotATerminalEvenWithAConsole() {
    assertFalse(
        Terminal.stderrIsTerminal(true, "xterm", Optional.of(Path.of("/home/me/train.log"))));
    assertFalse(Terminal.stderrIsTerminal(true, "xterm", Optional.of(Path.of("pipe:[81234]"))));
    assertFalse(Terminal.stderrIsTerminal(true, "xterm", Optional.of(Path.of("/dev/null"))));
  }

  @Test
  void withoutAConsoleATerminalTypeOrAKnownTargetItIsNotATerminal() {
    Optional<Path> pts = Optional.of(Path.of("/dev/pts/0"));
    assertFalse(Terminal.stderrIsTerminal(false, "xterm", pts));
    assertFalse(Terminal.stderrIsTerminal(true, null, pts));
    assertFalse(Terminal.stderrIsTerminal(true, "dumb", pts));
    assertFalse(Terminal.stderrIsTerminal(true, "xterm", Optional.empty()));
  }
}
