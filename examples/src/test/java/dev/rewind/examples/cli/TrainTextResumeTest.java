package dev.rewind.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import dev.rewind.autodiff.io.Safetensors;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.datasets.text.DefaultCorpus;
import dev.rewind.train.checkpoint.CheckpointFolder;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code rewind train-text --resume}: a run stopped and resumed ends bit for bit where an
 * uninterrupted run ends, whether it stopped at a step count or by Ctrl-C in another JVM; a
 * checkpoint of other settings or another vocabulary is refused.
 */
class TrainTextResumeTest {
  private static final String[] TINY = {
    "--hidden", "16", "--embedding", "8", "--batch", "4", "--window", "16", "--sample-length", "20"
  };

  @TempDir Path folder;
  private Path text;

  @BeforeAll
  static void headless() {
    System.setProperty("java.awt.headless", "true");
  }

  @org.junit.jupiter.api.BeforeEach
  void writeText() throws IOException {
    text = folder.resolve("story.txt");
    Files.writeString(text, DefaultCorpus.generate(new Random(8), 3_000), StandardCharsets.UTF_8);
  }

  @Test
  void stoppingAfterNStepsAndResumingMatchesAnUninterruptedRunBitForBit() throws Exception {
    Path straight = folder.resolve("straight");
    Result whole = run(straight, "--steps", "12", "--checkpoint-every", "6");
    assertEquals(0, whole.exitCode(), whole.err());

    Path halves = folder.resolve("halves");
    Result first = run(halves, "--steps", "6");
    assertEquals(0, first.exitCode(), first.err());
    Result second = run(halves, "--steps", "12", "--resume");
    assertEquals(0, second.exitCode(), second.err());
    Path resumedFrom = halves.resolve("checkpoints").resolve("step-000006.ckpt");
    assertTrue(
        second.out().contains("resuming from " + resumedFrom + " at step 6\n"), second.out());
    assertTrue(second.err().contains("step 12/12"), second.err());

    assertSameBits(
        Safetensors.read(straight.resolve("model.safetensors")),
        Safetensors.read(halves.resolve("model.safetensors")));
    // The whole final checkpoint: parameters, Adam's moments, carried state, generator, step.
    Safetensors.Contents a =
        Safetensors.readContents(straight.resolve("checkpoints").resolve("step-000012.ckpt"));
    Safetensors.Contents b =
        Safetensors.readContents(halves.resolve("checkpoints").resolve("step-000012.ckpt"));
    assertSameBits(a.tensors(), b.tensors());
    assertEquals(a.metadata(), b.metadata());
    assertEquals(sample(whole), sample(second));
  }

  @Test
  void checkpointNamesAreStable() throws Exception {
    Path out = folder.resolve("names");
    Result result = run(out, "--steps", "2");
    assertEquals(0, result.exitCode(), result.err());
    Safetensors.Contents contents =
        Safetensors.readContents(out.resolve("checkpoints").resolve("step-000002.ckpt"));
    List<String> model = new ArrayList<>();
    List<String> optimizer = new ArrayList<>();
    List<String> carried = new ArrayList<>();
    for (String name : contents.tensors().keySet()) {
      (name.startsWith("model.") ? model : name.startsWith("optimizer.") ? optimizer : carried)
          .add(name);
    }
    List<String> parameters =
        List.of(
            "embedding",
            "cell.weightIh",
            "cell.weightHh",
            "cell.biasIh",
            "cell.biasHh",
            "readout.weight",
            "readout.bias");
    assertEquals(parameters.stream().map(p -> "model." + p).toList(), model);
    List<String> moments = new ArrayList<>();
    for (String p : parameters) {
      moments.add("optimizer." + p + ".firstMoment");
      moments.add("optimizer." + p + ".secondMoment");
    }
    assertEquals(moments, optimizer);
    assertEquals(List.of("carried.h", "carried.c"), carried);
    Map<String, String> metadata = contents.metadata();
    assertEquals("2", metadata.get("step"));
    assertEquals("Adam", metadata.get("optimizer"));
    assertEquals("16", metadata.get("attribute.hidden"));
    assertEquals(text.toString(), metadata.get("attribute.corpus"));
    assertTrue(metadata.get("attribute.text").matches("sha256:[0-9a-f]{64}"), metadata.toString());
  }

  @Test
  void resumingAnEmptyFolderStartsAtStepZero() {
    Result result = run(folder.resolve("empty"), "--steps", "2", "--resume");
    assertEquals(0, result.exitCode(), result.err());
    assertTrue(
        result
            .out()
            .contains(
                "no checkpoint in "
                    + folder.resolve("empty").resolve("checkpoints")
                    + ", starting"),
        result.out());
  }

  @Test
  void aFloat32RunTrainsInFloat32AndResumesBitForBit() throws Exception {
    Path straight = folder.resolve("float32-straight");
    Result whole = run(straight, "--dtype", "f32", "--steps", "8", "--checkpoint-every", "4");
    assertEquals(0, whole.exitCode(), whole.err());
    assertTrue(whole.out().contains(" parameters in float32; "), whole.out());
    Path halves = folder.resolve("float32-halves");
    assertEquals(0, run(halves, "--dtype", "f32", "--steps", "4").exitCode());
    Result second = run(halves, "--dtype", "f32", "--steps", "8", "--resume");
    assertEquals(0, second.exitCode(), second.err());

    Map<String, Tensor> model = Safetensors.read(halves.resolve("model.safetensors"));
    for (Map.Entry<String, Tensor> entry : model.entrySet()) {
      assertEquals(DType.FLOAT32, entry.getValue().dtype(), entry.getKey());
    }
    assertSameBits(Safetensors.read(straight.resolve("model.safetensors")), model);
    assertEquals(sample(whole), sample(second));

    Result float64 = run(halves, "--steps", "12", "--resume");
    assertEquals(2, float64.exitCode(), float64.err());
    assertTrue(
        float64.err().contains("was trained with --dtype f32, this run has --dtype f64"),
        float64.err());
  }

  @Test
  void aCheckpointOfAnotherHiddenSizeIsRefused() {
    Path out = folder.resolve("hidden");
    assertEquals(0, run(out, "--steps", "2").exitCode());
    Result result = run(out, "--steps", "4", "--hidden", "24", "--resume");
    assertEquals(2, result.exitCode(), result.err());
    String message = result.err().strip();
    assertEquals(1, message.lines().count(), message);
    assertEquals(
        "rewind: --resume: "
            + out.resolve("checkpoints").resolve("step-000002.ckpt")
            + " was trained with --hidden 16, this run has --hidden 24: resume with the same"
            + " settings, or pass another --checkpoints folder",
        message);
  }

  @Test
  void aCheckpointOfAnotherVocabularyIsRefused() throws Exception {
    Path out = folder.resolve("vocabulary");
    assertEquals(0, run(out, "--steps", "2").exitCode());
    // The same file, the same length, one new character.
    String original = Files.readString(text, StandardCharsets.UTF_8);
    Files.writeString(text, "#" + original.substring(1), StandardCharsets.UTF_8);
    Result result = run(out, "--steps", "4", "--resume");
    assertEquals(2, result.exitCode(), result.err());
    String message = result.err().strip();
    assertEquals(1, message.lines().count(), message);
    assertTrue(message.startsWith("rewind: --resume: "), message);
    assertTrue(message.contains("vocabulary mismatch"), message);
    assertTrue(message.contains("new: '#'"), message);
  }

  @Test
  void ctrlCInAnotherJvmSavesACheckpointAndTheResumedRunMatchesAnUninterruptedOne()
      throws Exception {
    Path out = folder.resolve("signalled");
    Path log = folder.resolve("child.err");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(args(out, "--steps", "100000", "--checkpoint-every", "7", "--log-every", "1"));
    Process child =
        new ProcessBuilder(command)
            .redirectError(log.toFile())
            .redirectOutput(folder.resolve("child.out").toFile())
            .start();
    try {
      waitFor(log, "step 20/100000 ", 30);
      String signal = interrupt(child);
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not exit after " + signal);
      String err = Files.readString(log, StandardCharsets.UTF_8);
      assertEquals(signal.equals("SIGINT") ? 130 : 143, child.exitValue(), err);
      Matcher interrupted =
          Pattern.compile("interrupted at step (\\d+): saved (\\S+); run again with --resume\n")
              .matcher(err);
      assertTrue(interrupted.find(), err);
      long step = Long.parseLong(interrupted.group(1));
      Path saved = out.resolve("checkpoints").resolve(String.format("step-%06d.ckpt", step));
      assertEquals(saved.toString(), interrupted.group(2));
      assertTrue(Files.exists(saved));

      String total = Long.toString(step + 5);
      Result resumed = run(out, "--steps", total, "--resume");
      assertEquals(0, resumed.exitCode(), resumed.err());
      assertTrue(
          resumed.out().contains("resuming from " + saved + " at step " + step), resumed.out());
      Path straight = folder.resolve("straight");
      Result uninterrupted = run(straight, "--steps", total);
      assertEquals(0, uninterrupted.exitCode(), uninterrupted.err());
      assertSameBits(
          Safetensors.read(straight.resolve("model.safetensors")),
          Safetensors.read(out.resolve("model.safetensors")));
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void resumingARunThatAlreadyReachedItsStepsWritesWhatAFinishedRunWrites() throws Exception {
    Path out = folder.resolve("finished");
    assertEquals(0, run(out, "--steps", "4").exitCode());
    for (String name : List.of("model.safetensors", "model.vocabulary.txt", "learning-curve.png")) {
      Files.delete(out.resolve(name));
    }

    Result again = run(out, "--steps", "4", "--resume");

    assertEquals(0, again.exitCode(), again.err());
    assertTrue(again.out().contains("at step 4\n"), again.out());
    for (String name : List.of("model.safetensors", "model.vocabulary.txt", "learning-curve.png")) {
      assertTrue(Files.exists(out.resolve(name)), name);
    }
    assertTrue(again.out().contains("sample (temperature 0.8):"), again.out());
  }

  @Test
  void aNewestCheckpointDamagedInItsSettingsIsPassedOverForTheNewestIntactOne() throws Exception {
    Path out = folder.resolve("damaged");
    assertEquals(0, run(out, "--steps", "4", "--checkpoint-every", "2").exitCode());
    Path newest = out.resolve("checkpoints").resolve("step-000004.ckpt");
    byte[] bytes = Files.readAllBytes(newest);
    String header = new String(bytes, StandardCharsets.ISO_8859_1);
    int at = header.indexOf("\"attribute.hidden\":\"16\"") + "\"attribute.hidden\":\"".length();
    bytes[at] = '2';
    bytes[at + 1] = '2';
    Files.write(newest, bytes);

    Result resumed = run(out, "--steps", "6", "--resume");

    assertEquals(0, resumed.exitCode(), resumed.err());
    assertTrue(
        resumed
            .err()
            .contains(
                "rewind: --resume: passed over "
                    + newest
                    + ": the checksum does not match its content; the file is corrupt\n"),
        resumed.err());
    assertTrue(
        resumed
            .out()
            .contains(
                "resuming from "
                    + out.resolve("checkpoints").resolve("step-000002.ckpt")
                    + " at step 2\n"),
        resumed.out());
  }

  @Test
  void aRefusalAfterADamagedNewestCheckpointStillSaysItWasPassedOver() throws Exception {
    Path out = folder.resolve("damagedThenRefused");
    assertEquals(0, run(out, "--steps", "4", "--checkpoint-every", "2").exitCode());
    Path newest = out.resolve("checkpoints").resolve("step-000004.ckpt");
    Files.write(newest, new byte[] {1, 2, 3});

    Result result = run(out, "--steps", "6", "--hidden", "24", "--resume");

    assertEquals(2, result.exitCode(), result.err());
    List<String> lines = result.err().strip().lines().toList();
    assertEquals(2, lines.size(), result.err());
    assertTrue(
        lines.get(0).startsWith("rewind: --resume: passed over " + newest + ": "), lines.get(0));
    assertTrue(
        lines
            .get(1)
            .startsWith(
                "rewind: --resume: "
                    + out.resolve("checkpoints").resolve("step-000002.ckpt")
                    + " was trained with --hidden 16, this run has --hidden 24"),
        lines.get(1));
  }

  @Test
  void whenNoCheckpointIsIntactResumeSaysSoInOneLineAndDeletesNothing() throws Exception {
    Path out = folder.resolve("allDamaged");
    assertEquals(0, run(out, "--steps", "2").exitCode());
    List<Path> saved;
    try (var files = Files.list(out.resolve("checkpoints"))) {
      saved = files.filter(f -> f.toString().endsWith(".ckpt")).sorted().toList();
    }
    for (Path file : saved) {
      Files.write(file, new byte[] {1, 2, 3});
    }

    Result result = run(out, "--steps", "4", "--resume");

    assertEquals(2, result.exitCode(), result.err());
    String last = result.err().strip().lines().reduce((a, b) -> b).orElseThrow();
    assertTrue(
        last.startsWith(
            "rewind: --resume: none of the 2 checkpoints in "
                + out.resolve("checkpoints")
                + " is intact; the newest: "
                + saved.get(1)),
        last);
    assertTrue(last.endsWith("(add --fresh instead of --resume to delete them and start over)"));
    for (Path file : saved) {
      assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));
    }
  }

  @Test
  void theSameTextUnderAnotherPathIsTheSameText() throws Exception {
    Path out = folder.resolve("moved");
    assertEquals(0, run(out, "--steps", "2").exitCode());
    Files.createDirectories(folder.resolve("sub"));
    Path samePlace = folder.resolve("sub").resolve("..").resolve("story.txt");
    Path copy = Files.copy(text, folder.resolve("copy.txt"));

    text = samePlace;
    Result resumed = run(out, "--steps", "3", "--resume");
    assertEquals(0, resumed.exitCode(), resumed.err());
    text = copy;
    Result again = run(out, "--steps", "4", "--resume");
    assertEquals(0, again.exitCode(), again.err());
    assertTrue(again.out().contains("at step 3\n"), again.out());
  }

  @Test
  void aTextChangedInPlaceWithTheSameLengthAndCharactersIsRefused() throws Exception {
    Path out = folder.resolve("changed");
    assertEquals(0, run(out, "--steps", "2").exitCode());
    String original = Files.readString(text, StandardCharsets.UTF_8);
    String swapped = original.charAt(1) + "" + original.charAt(0) + original.substring(2);
    assertTrue(!swapped.equals(original));
    Files.writeString(text, swapped, StandardCharsets.UTF_8);

    Result result = run(out, "--steps", "4", "--resume");

    assertEquals(2, result.exitCode(), result.err());
    String message = result.err().strip();
    assertEquals(1, message.lines().count(), message);
    assertTrue(
        message.startsWith(
            "rewind: --resume: "
                + out.resolve("checkpoints").resolve("step-000002.ckpt")
                + " was trained on another text: "
                + text
                + " ("),
        message);
  }

  @Test
  void forgettingResumeKeepsTheEarlierCheckpointsAndSaysWhatToDo() throws Exception {
    Path out = folder.resolve("forgot");
    assertEquals(0, run(out, "--steps", "2").exitCode());
    Path saved = out.resolve("checkpoints").resolve("step-000002.ckpt");
    byte[] before = Files.readAllBytes(saved);

    Result result = run(out, "--steps", "4");

    assertEquals(2, result.exitCode(), result.err());
    assertEquals(
        "rewind: "
            + out.resolve("checkpoints")
            + " holds 2 checkpoints of an earlier run (the newest step-000002.ckpt): add --resume"
            + " to continue it, or --fresh to delete them and start over",
        result.err().strip());
    assertArrayEquals(before, Files.readAllBytes(saved));
  }

  @Test
  void freshDeletesTheEarlierCheckpointsAndSaysSo() throws Exception {
    Path out = folder.resolve("fresh");
    assertEquals(0, run(out, "--steps", "3", "--checkpoint-every", "1").exitCode());

    Result result = run(out, "--steps", "2", "--fresh");
    // Two of this run's own: the earlier run's step 3 is gone.

    assertEquals(0, result.exitCode(), result.err());
    assertTrue(
        result
            .err()
            .contains(
                "--fresh: deleted 3 checkpoints of an earlier run from "
                    + out.resolve("checkpoints")),
        result.err());
    try (var files = Files.list(out.resolve("checkpoints"))) {
      assertEquals(
          List.of("step-000001.ckpt", "step-000002.ckpt"),
          files
              .map(f -> f.getFileName().toString())
              .filter(n -> n.endsWith(".ckpt"))
              .sorted()
              .toList());
    }
  }

  @Test
  void aSecondRunOnACheckpointsFolderInUseIsRefused() throws Exception {
    Path out = folder.resolve("busy");
    Path checkpoints = out.resolve("checkpoints");
    try (CheckpointFolder first = CheckpointFolder.open(checkpoints, 3)) {
      Result result = run(out, "--steps", "2");

      assertEquals(2, result.exitCode(), result.err());
      assertEquals(
          "rewind: --checkpoints "
              + checkpoints
              + ": another process is writing checkpoints here (locked by "
              + checkpoints.resolve(".lock")
              + "); wait for it or use another folder",
          result.err().strip());
    }
  }

  @Test
  void sigtermSavesACheckpointAndExitsWith143() throws Exception {
    Path out = folder.resolve("terminated");
    Path log = folder.resolve("term.err");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(args(out, "--steps", "100000", "--log-every", "1"));
    Process child =
        new ProcessBuilder(command)
            .redirectError(log.toFile())
            .redirectOutput(folder.resolve("term.out").toFile())
            .start();
    try {
      waitFor(log, "step 3/100000 ", 30);
      child.destroy(); // SIGTERM
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not exit after SIGTERM");
      String err = Files.readString(log, StandardCharsets.UTF_8);

      assertEquals(143, child.exitValue(), err);
      Matcher interrupted =
          Pattern.compile("interrupted at step (\\d+): saved (\\S+); run again with --resume\n")
              .matcher(err);
      assertTrue(interrupted.find(), err);
      assertTrue(Files.exists(Path.of(interrupted.group(2))), err);
    } finally {
      child.destroyForcibly();
    }
  }

  private static void assertSameBits(Map<String, Tensor> expected, Map<String, Tensor> actual) {
    assertEquals(ImmutableList.copyOf(expected.keySet()), ImmutableList.copyOf(actual.keySet()));
    assertEquals(bits(expected), bits(actual));
  }

  private static Map<String, List<Long>> bits(Map<String, Tensor> tensors) {
    Map<String, List<Long>> bits = new LinkedHashMap<>();
    tensors.forEach(
        (name, tensor) -> {
          List<Long> values = new ArrayList<>();
          for (int i = 0; i < tensor.size(); i++) {
            values.add(Double.doubleToRawLongBits(tensor.getFlat(i)));
          }
          bits.put(name, values);
        });
    return bits;
  }

  private static String sample(Result result) {
    return result.out().substring(result.out().indexOf("sample ("));
  }

  /**
   * Sends SIGINT, as Ctrl-C does, unless the child inherited SIGINT ignored (a background job's
   * child may): then SIGTERM, which also runs the JVM's shutdown hooks.
   */
  private static String interrupt(Process child) throws Exception {
    Path status = Path.of("/proc", Long.toString(child.pid()), "status");
    if (Files.isReadable(status)) {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("SigIgn:")) {
          long ignored = Long.parseUnsignedLong(line.substring(7).trim(), 16);
          if ((ignored & (1L << (2 - 1))) == 0) {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start();
            if (kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0) {
              return "SIGINT";
            }
          }
        }
      }
    }
    child.destroy();
    return "SIGTERM";
  }

  private static void waitFor(Path log, String text, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError(
        "no '" + text + "' in " + seconds + "s:\n" + Files.readString(log, StandardCharsets.UTF_8));
  }

  private Result run(Path out, String... extra) {
    return execute(args(out, extra).toArray(String[]::new));
  }

  private List<String> args(Path out, String... extra) {
    List<String> all = new ArrayList<>(List.of("train-text", text.toString()));
    List<String> given = List.of(extra);
    for (int i = 0; i < TINY.length; i += 2) {
      if (!given.contains(TINY[i])) {
        all.add(TINY[i]);
        all.add(TINY[i + 1]);
      }
    }
    all.add("--out");
    all.add(out.toString());
    all.addAll(List.of(extra));
    return all;
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
