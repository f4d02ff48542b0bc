package dev.rewind.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.datasets.text.DefaultCorpus;
import dev.rewind.examples.text.CellType;
import dev.rewind.examples.text.CharModel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code rewind train-text} checks every place it will write before it trains, and reports every
 * mistake in one line with exit code 2, leaving the user's files as they were.
 */
class TrainTextDestinationsTest {
  private static final String[] TINY = {
    "--steps",
    "2",
    "--hidden",
    "8",
    "--embedding",
    "4",
    "--batch",
    "2",
    "--window",
    "8",
    "--sample-length",
    "5"
  };

  @TempDir Path folder;
  private Path text;
  private String original;

  @BeforeAll
  static void headless() {
    System.setProperty("java.awt.headless", "true");
  }

  @BeforeEach
  void writeText() throws Exception {
    text = folder.resolve("notes.txt");
    original = DefaultCorpus.generate(new Random(8), 1_000);
    Files.writeString(text, original, StandardCharsets.UTF_8);
  }

  @Test
  void theTrainingTextIsNeverOverwrittenByTheCheckpoint() throws Exception {
    Result result = run("--out", folder.resolve("out").toString(), "--checkpoint", text.toString());

    assertRefusedBeforeTraining(
        result, "rewind: --checkpoint " + text + ": is the training text; name another file");
    assertEquals(original, Files.readString(text, StandardCharsets.UTF_8));
  }

  @Test
  void theTrainingTextUnderAnotherPathIsStillTheTrainingText() throws Exception {
    Path sameFile = folder.resolve("sub").resolve("..").resolve("notes.txt");
    Files.createDirectories(folder.resolve("sub"));

    Result result =
        run("--out", folder.resolve("out").toString(), "--checkpoint", sameFile.toString());

    assertRefusedBeforeTraining(
        result, "rewind: --checkpoint " + sameFile + ": is the training text; name another file");
  }

  @Test
  void aCheckpointThatNamesAFolderIsRefusedBeforeTraining() throws Exception {
    Path existing = Files.createDirectories(folder.resolve("models"));

    Result result =
        run("--out", folder.resolve("out").toString(), "--checkpoint", existing.toString());

    assertRefusedBeforeTraining(
        result,
        "rewind: --checkpoint "
            + existing
            + ": is a folder; name a file in it, such as "
            + existing.resolve("model.safetensors"));
  }

  @Test
  void aCheckpointUnderAFileIsRefusedBeforeTraining() throws Exception {
    Path underFile = folder.resolve("notes.txt").resolve("model.safetensors");

    Result result =
        run("--out", folder.resolve("out").toString(), "--checkpoint", underFile.toString());

    assertRefusedBeforeTraining(
        result, "rewind: --checkpoint " + underFile + ": " + text + " is a file, not a folder");
  }

  @Test
  void anExistingFileThatTheRunDidNotWriteIsNeverOverwritten() throws Exception {
    Path mine = Files.writeString(folder.resolve("keep.safetensors"), "my own notes");

    Result result = run("--out", folder.resolve("out").toString(), "--checkpoint", mine.toString());

    assertRefusedBeforeTraining(
        result,
        "rewind: --checkpoint "
            + mine
            + ": exists and is not a model saved by rewind; move it away or name another file"
            + " (it is never overwritten)");
    assertEquals("my own notes", Files.readString(mine));
  }

  @Test
  void aCheckpointThatIsTheCheckpointsFolderToBeIsRefusedBeforeTraining() {
    Path out = folder.resolve("out");

    Result result =
        run("--out", out.toString(), "--checkpoint", out.resolve("checkpoints").toString());

    assertRefusedBeforeTraining(
        result,
        "rewind: --checkpoint "
            + out.resolve("checkpoints")
            + ": is the --checkpoints folder; name a file in it");
  }

  @Test
  void aCheckpointNamedAsATrainingCheckpointInTheCheckpointsFolderIsRefused() {
    Path out = folder.resolve("out");
    Path named = out.resolve("checkpoints").resolve("step-000002.ckpt");

    Result result = run("--out", out.toString(), "--checkpoint", named.toString());

    assertRefusedBeforeTraining(
        result,
        "rewind: --checkpoint "
            + named
            + ": is named as a training checkpoint in the --checkpoints folder, where it would be"
            + " taken for one and pruned; name another file");
  }

  @Test
  void anOutThatIsAFileIsRefusedInOneLine() {
    Result result = run("--out", text.toString());

    assertRefusedBeforeTraining(result, "rewind: --out " + text + ": is a file, not a folder");
  }

  @Test
  void aLearningCurveThatWouldReplaceAFolderIsRefused() throws Exception {
    Path out = folder.resolve("out");
    Files.createDirectories(out.resolve("learning-curve.png"));

    Result result = run("--out", out.toString());

    assertRefusedBeforeTraining(
        result,
        "rewind: --out's learning curve "
            + out.resolve("learning-curve.png")
            + ": is a folder; name a file in it, such as "
            + out.resolve("learning-curve.png").resolve("learning-curve.png"));
  }

  @Test
  void aCheckpointsFolderThatIsAFileIsRefusedInOneLine() {
    Result result =
        run("--out", folder.resolve("out").toString(), "--checkpoints", text.toString());

    assertRefusedBeforeTraining(
        result, "rewind: --checkpoints " + text + ": is a file, not a folder");
  }

  @Test
  void aHiddenSizeTooLargeIsRefusedWithTheParameterCount() {
    Result result = run("--out", folder.resolve("out").toString(), "--hidden", "100000");

    assertEquals(2, result.exitCode(), result.err());
    String message = result.err().strip();
    assertEquals(1, message.lines().count(), message);
    assertTrue(
        message.startsWith("rewind: --hidden 100000 --embedding 4: the model would have "),
        message);
    assertTrue(message.contains("more than the limit of 100,000,000"), message);
  }

  @Test
  void theParameterCountInLongMatchesTheModel() {
    for (CellType cell : CellType.values()) {
      for (int embedding : new int[] {0, 5}) {
        CharModel.Config config = new CharModel.Config(cell, 7, embedding, 6);
        assertEquals(
            CharModel.create(config, new Random(1)).parameterCount(),
            config.parameterCount(),
            config.toString());
      }
    }
  }

  @Test
  void resumeAndFreshTogetherAreRefused() {
    Result result = run("--out", folder.resolve("out").toString(), "--resume", "--fresh");

    assertRefusedBeforeTraining(
        result,
        "rewind: --resume and --fresh contradict each other: --resume continues the"
            + " checkpoints, --fresh deletes them");
  }

  @Test
  void aValueThatIsNotANumberIsOneLineNotTheWholeUsage() {
    Result result = run("--out", folder.resolve("out").toString(), "--seed", "abc");

    assertRefusedBeforeTraining(
        result,
        "rewind: Invalid value for option '--seed': 'abc' is not a long (see 'rewind train-text"
            + " --help')");
  }

  @Test
  void anUnknownOptionIsOneLineWithASuggestion() {
    Result result = run("--out", folder.resolve("out").toString(), "--reusme");

    assertEquals(2, result.exitCode(), result.err());
    String message = result.err().strip();
    assertEquals(1, message.lines().count(), message);
    assertTrue(message.startsWith("rewind: Unknown option: '--reusme'"), message);
    assertTrue(message.contains("--resume"), message);
  }

  @Test
  void aFileSystemErrorWhoseMessageIsABarePathGetsItsReason() {
    assertEquals(
        "notes.txt: permission denied", Main.describe(new AccessDeniedException("notes.txt")));
    assertEquals(
        "notes.txt: permission denied",
        Main.describe(new java.io.UncheckedIOException(new AccessDeniedException("notes.txt"))));
  }

  @Test
  void outOfMemoryIsOneLineWithTheHeapAndHowToRaiseIt() throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx48m");
    command.add("-Djava.awt.headless=true");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(
        List.of(
            "train-text",
            text.toString(),
            "--hidden",
            "3000",
            "--steps",
            "2",
            "--out",
            folder.resolve("out").toString()));
    Path err = folder.resolve("err.txt");
    Process child =
        new ProcessBuilder(command)
            .redirectError(err.toFile())
            .redirectOutput(folder.resolve("out.txt").toFile())
            .start();
    assertTrue(child.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
    String message = Files.readString(err).strip();

    assertEquals(2, child.exitValue(), message);
    assertEquals(1, message.lines().count(), message);
    assertTrue(message.startsWith("rewind: out of memory: the Java heap is limited to 4"), message);
    assertTrue(message.contains("JAVA_OPTS=-Xmx4g"), message);
  }

  private static void assertRefusedBeforeTraining(Result result, String expected) {
    assertEquals(2, result.exitCode(), result.err());
    assertEquals(expected, result.err().strip());
    assertFalse(result.out().contains("model:"), result.out());
  }

  private Result run(String... extra) {
    List<String> all = new ArrayList<>(List.of("train-text", text.toString()));
    all.addAll(List.of(TINY));
    List<String> given = List.of(extra);
    for (int i = 0; i < given.size(); i++) {
      int at = all.indexOf(given.get(i));
      if (at > 1 && i + 1 < given.size() && !given.get(i + 1).startsWith("--")) {
        all.set(at + 1, given.get(++i));
      } else {
        all.add(given.get(i));
        if (i + 1 < given.size() && !given.get(i + 1).startsWith("--")) {
          all.add(given.get(++i));
        }
      }
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(all.toArray(String[]::new));
    return new Result(exitCode, out.toString(), err.toString());
  }

  private record Result(int exitCode, String out, String err) {}
}
