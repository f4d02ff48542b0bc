package dev.rewind.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.io.Safetensors;
import dev.rewind.autodiff.tensor.Tensor;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's program that depends on {@code rewind-train} alone — {@code src/test/user-program/
 * TrainSines.java}, the complete program of {@code docs/training.md}, compiled here against
 * rewind-train's runtime class path and nothing else (no test library) — trains an LSTM with a
 * checkpoint every 50 steps, is killed with SIGKILL mid-run, is started again with the same
 * command, and ends with weights equal bit for bit to those of a run never killed.
 */
class UserProgramTest {
  private static final Path SOURCE = Path.of("src", "test", "user-program", "TrainSines.java");
  private static final long STEPS = 1500;
  private static final Duration PATIENCE = Duration.ofSeconds(120);

  @TempDir static Path build;
  @TempDir Path folder;

  private static String classPath;

  /** rewind-train's runtime class path (written by the build) and the compiled user program. */
  @BeforeAll
  static void compileTheUserProgramAgainstRewindTrainAlone() throws IOException {
    String runtime =
        Files.readString(Path.of("target", "runtime-classpath.txt"), StandardCharsets.UTF_8).trim();
    String library = Path.of("target", "classes").toAbsolutePath() + File.pathSeparator + runtime;
    for (String entry : library.split(File.pathSeparator)) {
      assertFalse(
          entry.matches(".*(junit|jqwik|opentest4j|archunit|apiguardian).*"),
          "a test library reaches a user of rewind-train: " + entry);
    }
    Path classes = Files.createDirectories(build.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter errors = new StringWriter();
    boolean compiled =
        javac
            .getTask(
                errors,
                null,
                null,
                List.of("--release", "17", "-cp", library, "-d", classes.toString()),
                null,
                javac
                    .getStandardFileManager(null, null, StandardCharsets.UTF_8)
                    .getJavaFileObjects(SOURCE.toFile()))
            .call();
    assertTrue(compiled, () -> "the user's program does not compile:\n" + errors);
    classPath = classes + File.pathSeparator + library;
  }

  @Test
  void theTrainingPageHoldsTheProgramVerbatim() throws IOException {
    String page = Files.readString(Path.of("..", "docs", "training.md"), StandardCharsets.UTF_8);
    String program = Files.readString(SOURCE, StandardCharsets.UTF_8);
    assertTrue(
        page.contains("```java\n" + program + "```"),
        "docs/training.md's \"A complete program\" must show " + SOURCE + " as it is");
  }

  @Test
  void aRunKilledWithSigkillAndStartedAgainEndsWithTheWeightsOfOneUninterruptedRun()
      throws Exception {
    Path whole = folder.resolve("whole");
    Path killed = folder.resolve("killed");

    String once = run(whole, "whole.log");
    Process first = start(killed, "first.log");
    Path checkpoint = killed.resolve("step-000100.ckpt");
    waitFor(first, checkpoint);
    first.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no final checkpoint
    boolean finishedBeforeTheKill = Files.exists(killed.resolve("model.safetensors"));
    String again = run(killed, "again.log");

    assertFalse(finishedBeforeTheKill, "the first run ended before it could be killed");
    assertFalse(once.contains("resumed"), once);
    Matcher resumed = Pattern.compile("resumed at step (\\d+)").matcher(again);
    assertTrue(resumed.find(), again);
    assertTrue(Long.parseLong(resumed.group(1)) >= 100, again);
    assertTrue(once.contains("FINISHED after step " + STEPS), once);
    assertTrue(again.contains("FINISHED after step " + STEPS), again);
    Map<String, Tensor> expected = Safetensors.read(whole.resolve("model.safetensors"));
    Map<String, Tensor> actual = Safetensors.read(killed.resolve("model.safetensors"));
    assertEquals(expected.keySet(), actual.keySet());
    for (String name : expected.keySet()) {
      assertArrayEquals(bits(expected.get(name)), bits(actual.get(name)), name);
    }
  }

  private Process start(Path runs, String log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx256m", "-cp", classPath, "TrainSines"));
    command.addAll(List.of(runs.toString(), Long.toString(STEPS)));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(folder.resolve(log).toFile())
        .start();
  }

  private String run(Path runs, String log) throws IOException, InterruptedException {
    Process process = start(runs, log);
    assertTrue(process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS), "TrainSines hangs");
    String output = Files.readString(folder.resolve(log), StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), output);
    return output;
  }

  private static void waitFor(Process process, Path file) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!Files.exists(file) && process.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertTrue(Files.exists(file), file + " never appeared");
  }

  private static long[] bits(Tensor tensor) {
    double[] values = tensor.toArray();
    long[] bits = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Double.doubleToRawLongBits(values[i]);
    }
    return bits;
  }
}
