package dev.rewind.train.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a main class of the test class path in a fresh JVM. */
public final class Forks {
  private Forks() {}

  /** A finished child: its exit code and everything it printed. */
  public record Result(int exitCode, String output) {}

  public static ProcessBuilder builder(Class<?> main, Path log, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
  }

  public static Result run(Class<?> main, Path log, Duration timeout, String... args)
      throws IOException, InterruptedException {
    Process process = builder(main, log, args).start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(
          main.getSimpleName() + " did not finish in " + timeout + ":\n" + read(log));
    }
    return new Result(process.exitValue(), read(log));
  }

  public static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }
}
