package dev.rewind.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.datasets.text.DefaultCorpus;
import dev.rewind.train.GracefulStop;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A Ctrl-C (or SIGTERM) before the first step of {@code train-text}, while the text is read or the
 * first validation loss measured: the run ends with one line saying nothing was trained, exit code
 * 130, no checkpoint written and nothing deleted. The stop is requested in-process through the
 * command's {@link GracefulStop}, as the shutdown hook would request it.
 */
class TrainTextStopTest {
  private static final String NOTHING_TRAINED =
      "interrupted before the first step: nothing was trained, no checkpoint written";

  @TempDir Path folder;
  private Path text;

  @BeforeAll
  static void headless() {
    System.setProperty("java.awt.headless", "true");
  }

  @BeforeEach
  void writeText() throws IOException {
    text = folder.resolve("story.txt");
    Files.writeString(text, DefaultCorpus.generate(new Random(8), 3_000), StandardCharsets.UTF_8);
  }

  @Test
  void aStopRequestedBeforeTheTextIsReadTrainsSavesAndDeletesNothing() throws Exception {
    Path out = folder.resolve("run");
    assertEquals(0, run(out, null, "--steps", "2").exitCode());
    List<byte[]> before = new ArrayList<>();
    for (Path file : checkpoints(out)) {
      before.add(Files.readAllBytes(file));
    }
    Files.delete(out.resolve("model.safetensors"));
    GracefulStop stop = GracefulStop.manual();
    stop.request();

    Result result = run(out, stop, "--steps", "4", "--fresh");

    assertEquals(TrainTextCommand.INTERRUPTED, result.exitCode(), result.err());
    assertEquals(NOTHING_TRAINED + "\n", result.err());
    List<Path> after = checkpoints(out);
    assertEquals(before.size(), after.size());
    for (int i = 0; i < after.size(); i++) {
      assertArrayEquals(before.get(i), Files.readAllBytes(after.get(i)), after.get(i).toString());
    }
    assertFalse(Files.exists(out.resolve("model.safetensors")));
  }

  @Test
  void aStopRequestedAfterTheTextIsReadEndsBeforeTheFirstStepWithNothingSaved() throws Exception {
    Path out = folder.resolve("run");
    GracefulStop stop = GracefulStop.manual();

    // The run's first words on stdout (what the text holds) come after the text is read.
    Result result = run(out, stop, "--steps", "4");

    assertEquals(TrainTextCommand.INTERRUPTED, result.exitCode(), result.err());
    assertTrue(result.out().contains("characters"), result.out());
    assertEquals(NOTHING_TRAINED + "\n", result.err());
    assertEquals(List.of(), checkpoints(out));
    assertFalse(Files.exists(out.resolve("model.safetensors")));
  }

  @Test
  void sigtermWhileTheFirstValidationLossIsMeasuredEndsWithNothingTrainedAndExits143()
      throws Exception {
    // 20,000 characters of validation through 384 LSTM units take seconds: the signal lands then.
    Path longText = folder.resolve("long.txt");
    Files.writeString(
        longText, DefaultCorpus.generate(new Random(8), 250_000), StandardCharsets.UTF_8);
    Path out = folder.resolve("signalled");
    Path stdout = folder.resolve("child.out");
    Path stderr = folder.resolve("child.err");
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx512m",
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            "train-text",
            longText.toString(),
            "--hidden",
            "384",
            "--steps",
            "1000",
            "--log-every",
            "1",
            "--out",
            out.toString());
    Process child =
        new ProcessBuilder(command)
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    try {
      waitFor(stdout, "model: ", 60); // written just before the first validation
      child.destroy(); // SIGTERM
      assertTrue(child.waitFor(90, TimeUnit.SECONDS), "the child did not exit after SIGTERM");
      String err = Files.readString(stderr, StandardCharsets.UTF_8);

      assertEquals(143, child.exitValue(), err);
      assertEquals(NOTHING_TRAINED + "\n", err);
      assertEquals(List.of(), checkpoints(out));
      assertFalse(Files.exists(out.resolve("model.safetensors")));
    } finally {
      child.destroyForcibly();
    }
  }

  private static void waitFor(Path file, String text, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).contains(text)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no '" + text + "' in " + file + " within " + seconds + "s");
  }

  private static List<Path> checkpoints(Path out) throws IOException {
    try (var files = Files.list(out.resolve("checkpoints"))) {
      return files.filter(f -> f.toString().endsWith(".ckpt")).sorted().toList();
    }
  }

  /**
   * Runs train-text with {@code stop} as its graceful stop; if {@code stop} is not requested yet,
   * the first write to stdout requests it.
   */
  private Result run(Path out, GracefulStop stop, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "train-text",
                text.toString(),
                "--hidden",
                "16",
                "--embedding",
                "8",
                "--batch",
                "4",
                "--window",
                "16",
                "--sample-length",
                "20",
                "--out",
                out.toString()));
    args.addAll(List.of(extra));
    StringWriter err = new StringWriter();
    CommandLine commandLine = Main.commandLine();
    StringWriter stdout =
        new StringWriter() {
          @Override
          public void write(String text, int offset, int length) {
            if (stop != null) {
              stop.request();
            }
            super.write(text, offset, length);
          }
        };
    commandLine.setOut(new PrintWriter(stdout, true));
    commandLine.setErr(new PrintWriter(err, true));
    if (stop != null) {
      TrainTextCommand command = commandLine.getSubcommands().get("train-text").getCommand();
      command.stops = () -> stop;
    }
    int exitCode = commandLine.execute(args.toArray(String[]::new));
    return new Result(exitCode, stdout.toString(), err.toString());
  }

  private record Result(int exitCode, String out, String err) {}
}
