package dev.rewind.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether stderr is an interactive terminal, decided by stderr itself. {@link System#console()}
 * alone is not enough: it looks at stdin and stdout, so {@code rewind train-text 2> log} typed at a
 * terminal has a console and a redirected stderr. Java 17 has no {@code isatty} for stderr, so on
 * Linux the file descriptor's target is read ({@code /proc/self/fd/2} names {@code /dev/pts/N} or
 * {@code /dev/ttyN} for a terminal); where it cannot be read, the answer is no, and progress goes
 * out as plain lines, which are right everywhere.
 */
final class Terminal {
  private static final Path STDERR = Path.of("/proc/self/fd/2");

  private Terminal() {}

  /** Whether this process's stderr is a terminal. */
  static boolean stderrIsTerminal() {
    return stderrIsTerminal(System.console() != null, System.getenv("TERM"), target(STDERR));
  }

  /**
   * The decision itself: a console, a terminal type other than {@code dumb}, and stderr open on a
   * terminal device.
   *
   * @param console whether the JVM has a console (stdin and stdout are a terminal)
   * @param term the {@code TERM} environment variable, or null when unset
   * @param stderrTarget what stderr is open on, or empty when that is not known
   */
  static boolean stderrIsTerminal(boolean console, String term, Optional<Path> stderrTarget) {
    if (!console || term == null || term.isEmpty() || term.equals("dumb")) {
      return false;
    }
    return stderrTarget.map(Terminal::isTerminalDevice).orElse(false);
  }

  private static boolean isTerminalDevice(Path device) {
    String name = device.toString();
    return name.startsWith("/dev/pts/") || name.startsWith("/dev/tty");
  }

  private static Optional<Path> target(Path link) {
    try {
      return Optional.of(Files.readSymbolicLink(link));
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return Optional.empty();
    }
  }
}
