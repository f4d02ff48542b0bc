package dev.rewind.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rewind.autodiff.internal.ComputePool;
import dev.rewind.autodiff.tensor.Parallelism;
import dev.rewind.datasets.text.DefaultCorpus;
import dev.rewind.datasets.text.Vocabulary;
import dev.rewind.examples.text.CellType;
import dev.rewind.examples.text.CharCheckpoint;
import dev.rewind.examples.text.CharModel;
import dev.rewind.layers.io.LayerWeights;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code rewind train-text}, run in-process with tiny settings. */
class TrainTextCommandTest {
  private static final String[] TINY = {
    "--steps",
    "20",
    "--hidden",
    "16",
    "--embedding",
    "8",
    "--batch",
    "4",
    "--window",
    "16",
    "--sample-length",
    "40"
  };

  @TempDir static Path folder;

  @BeforeAll
  static void headless() {
    System.setProperty("java.awt.headless", "true");
  }

  @Test
  void trainsOnAFileAndSavesACheckpointThatLoadsIntoAFreshModel() throws Exception {
    String text = DefaultCorpus.generate(new Random(8), 3_000);
    Path file = folder.resolve("story.txt");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    Path out = folder.resolve("story-out");
    Result result = execute(args(file.toString(), "--out", out.toString(), "--cell", "gru"));

    assertEquals(0, result.exitCode(), result.err());
    assertTrue(result.out().contains(file + ": "), result.out());
    assertTrue(result.out().contains("validation loss: "), result.out());
    assertTrue(result.err().contains("step 20/20  loss "), result.err());
    assertTrue(result.err().contains(" tokens/s "), result.err());
    String sampleLine = result.out().substring(result.out().indexOf("sample (temperature 0.8):"));
    assertTrue(sampleLine.length() > 40, sampleLine);

    Path checkpoint = out.resolve("model.safetensors");
    Vocabulary vocabulary = Vocabulary.load(CharCheckpoint.vocabularyFile(checkpoint));
    assertEquals(Vocabulary.fromText(text), vocabulary);
    CharModel<?> fresh =
        CharModel.create(
            new CharModel.Config(CellType.GRU, vocabulary.size(), 8, 16), new Random(123));
    LayerWeights.load(fresh, checkpoint);
    assertEquals(
        LayerWeights.values(fresh), LayerWeights.values(CharCheckpoint.load(checkpoint).model()));
    assertNotNull(ImageIO.read(out.resolve("learning-curve.png").toFile()));
  }

  @Test
  void trainsOnTheDefaultCorpusWithoutAFile() throws Exception {
    Path checkpoint = folder.resolve("elsewhere").resolve("default.safetensors");
    Result result =
        execute(
            args(
                "--out",
                folder.resolve("default-out").toString(),
                "--checkpoint",
                checkpoint.toString(),
                "--log-every",
                "5"));
    assertEquals(0, result.exitCode(), result.err());
    assertTrue(result.out().startsWith(DefaultCorpus.NAME + ": "), result.out());
    assertEquals(4, result.err().lines().filter(l -> l.startsWith("step ")).count(), result.err());
    assertTrue(Files.exists(checkpoint));
    assertTrue(Files.exists(folder.resolve("elsewhere").resolve("default.vocabulary.txt")));
    CharCheckpoint.Loaded loaded = CharCheckpoint.load(checkpoint);
    assertEquals(CellType.LSTM, loaded.model().config().cell());
  }

  @Test
  void theSameSeedGivesTheSameSample() {
    List<String> samples = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      Result result =
          execute(
              args(
                  "--steps", "3", "--seed", "5", "--out", folder.resolve("seed" + run).toString()));
      assertEquals(0, result.exitCode(), result.err());
      samples.add(result.out().substring(result.out().indexOf("sample")));
    }
    assertEquals(samples.get(0), samples.get(1));
  }

  @Test
  void theVocabularyIsWrittenAsTheModelIsWithTheSamePermissions() throws Exception {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    Path checkpoint = folder.resolve("permissions").resolve("model.safetensors");
    Result result =
        execute(args("--steps", "2", "--out", folder.resolve("permissions").toString()));
    assertEquals(0, result.exitCode(), result.err());

    assertEquals(
        Files.getPosixFilePermissions(checkpoint),
        Files.getPosixFilePermissions(CharCheckpoint.vocabularyFile(checkpoint)));
    try (var files = Files.list(checkpoint.getParent())) {
      assertEquals(List.of(), files.filter(f -> f.toString().endsWith(".tmp")).toList());
    }
  }

  @Test
  void aMissingFileExitsWithTwoAndNamesTheFile() {
    Path missing = folder.resolve("no-such.txt");
    assertFailsNaming(missing, "no such file", missing.toString());
  }

  @Test
  void anEmptyFileExitsWithTwoAndNamesTheFile() throws Exception {
    Path empty = Files.createFile(folder.resolve("empty.txt"));
    assertFailsNaming(empty, "empty", empty.toString());
  }

  @Test
  void aFileThatIsNotUtf8ExitsWithTwoAndNamesTheFile() throws Exception {
    Path latin1 = folder.resolve("latin1.txt");
    Files.write(latin1, "caf\u00e9 au lait".getBytes(StandardCharsets.ISO_8859_1));
    assertFailsNaming(latin1, "not valid UTF-8 at byte 3", latin1.toString());
  }

  @Test
  void aFileThatCannotBeOpenedIsOneLineWithTheReasonNotAStackTrace() throws Exception {
    Path file = Files.writeString(folder.resolve("plain.txt"), "hello", StandardCharsets.UTF_8);
    Path underAFile = file.resolve("story.txt");

    Result result = execute(args(underAFile.toString()));

    assertEquals(2, result.exitCode(), result.err());
    assertEquals(
        "rewind: " + underAFile + ": cannot be read: Not a directory", result.err().strip());
  }

  @Test
  void aWindowLongerThanTheTextExitsWithTwoAndNamesTheFile() throws Exception {
    Path short_ = folder.resolve("short.txt");
    Files.writeString(short_, "hello hello", StandardCharsets.UTF_8);
    Result result = execute(args(short_.toString(), "--window", "64"));
    assertEquals(2, result.exitCode());
    assertEquals(
        "rewind: "
            + short_
            + ": 11 characters, too short for a window of 64: the window must be"
            + " shorter than the text",
        result.err().strip());
  }

  @Test
  void aTextOfOneCharacterIsCountedInTheSingular() throws Exception {
    Path one = folder.resolve("one.txt");
    Files.writeString(one, "x", StandardCharsets.UTF_8);
    Result result = execute(args(one.toString()));
    assertEquals(2, result.exitCode());
    assertTrue(result.err().contains(one + ": 1 character, too short"), result.err());
  }

  @Test
  void theThreadCountChangesOnlyTheSpeedAndIsRestoredAfterwards() throws Exception {
    int before = Parallelism.threads();
    List<byte[]> models = new ArrayList<>();
    long handedOver = 0;
    for (String threads : List.of("1", "2")) {
      Path out = folder.resolve("threads-" + threads);
      long sharedBefore = ComputePool.sharedCalls();
      // Batch 64 and hidden 256: large enough that the LSTM's products and gates are shared out.
      Result result =
          execute(
              args(
                  "--threads",
                  threads,
                  "--steps",
                  "2",
                  "--batch",
                  "64",
                  "--hidden",
                  "256",
                  "--window",
                  "8",
                  "--out",
                  out.toString()));
      assertEquals(0, result.exitCode(), result.err());
      assertEquals(before, Parallelism.threads(), "--threads " + threads + " was undone");
      handedOver = ComputePool.sharedCalls() - sharedBefore;
      models.add(Files.readAllBytes(out.resolve("model.safetensors")));
    }

    assertTrue(handedOver > 0, "the run on two threads handed work over");
    assertTrue(java.util.Arrays.equals(models.get(0), models.get(1)), "the same model bytes");
  }

  @Test
  void aThreadCountBelowOneExitsWithTwo() {
    Result result = execute(args("--threads", "0"));

    assertEquals(2, result.exitCode());
    assertEquals("rewind: --threads 0 must be at least 1", result.err().strip());
  }

  @Test
  void anUnknownCellExitsWithTwo() {
    Result result = execute(args("--cell", "transformer"));
    assertEquals(2, result.exitCode());
    assertEquals(
        "rewind: unknown cell 'transformer': choose one of lstm, gru, elman", result.err().strip());
  }

  @Test
  void helpDescribesEveryOption() {
    Result result = execute("train-text", "--help");
    assertEquals(0, result.exitCode());
    for (String option :
        List.of(
            "--cell",
            "--hidden",
            "--threads",
            "--steps",
            "--batch",
            "--window",
            "--lr",
            "--seed",
            "--temperature",
            "--sample-length",
            "--checkpoint",
            "--out",
            "--resume",
            "--fresh",
            "--checkpoints",
            "--checkpoint-every",
            "--keep",
            "FILE")) {
      assertTrue(result.out().contains(option), option);
    }
  }

  private static void assertFailsNaming(Path file, String problem, String name) {
    Result result = execute(args(file.toString()));
    assertEquals(2, result.exitCode(), result.out());
    String message = result.err().strip();
    assertEquals(1, message.lines().count(), message);
    assertTrue(message.startsWith("rewind: " + name + ": "), message);
    assertTrue(message.contains(problem), message);
  }

  /** {@code train-text}, the tiny settings (unless {@code extra} sets them) and {@code extra}. */
  private static String[] args(String... extra) {
    List<String> all = new ArrayList<>(List.of("train-text"));
    List<String> given = List.of(extra);
    for (int i = 0; i < TINY.length; i += 2) {
      if (!given.contains(TINY[i])) {
        all.add(TINY[i]);
        all.add(TINY[i + 1]);
      }
    }
    all.addAll(given);
    return all.toArray(String[]::new);
  }

  private static Result execute(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new Result(exitCode, out.toString(), err.toString());
  }

  private record Result(int exitCode, String out, String err) {}
}
