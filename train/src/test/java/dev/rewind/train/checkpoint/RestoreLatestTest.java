package dev.rewind.train.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.train.checkpoint.TinyTraining.Kind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CheckpointFolder#restoreLatest}: integrity first, newest first; damage is passed over and
 * named, a refusal by the caller's check or an intact checkpoint of another model stops the restore
 * with nothing changed.
 */
class RestoreLatestTest {
  @TempDir Path root;

  /** Saves checkpoints at steps 2 and 4 of a run with attribute hidden=16; returns the newest. */
  private Path twoCheckpoints(CheckpointFolder checkpoints) throws Exception {
    TinyTraining run = new TinyTraining(Kind.ADAM, 7);
    Path newest = null;
    for (int i = 0; i < 2; i++) {
      run.train(2);
      newest =
          checkpoints.save(
              run.model,
              run.optimizer,
              run.random,
              run.progress().withAttributes(Map.of("hidden", "16")));
    }
    return newest;
  }

  /** Changes the saved hidden=16 into 26 without updating the checksum. */
  private static void damageTheAttributes(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int at = text.indexOf("\"attribute.hidden\":\"16\"") + "\"attribute.hidden\":\"".length();
    bytes[at] = '2';
    Files.write(file, bytes);
  }

  @Test
  void damageIsPassedOverBeforeTheCheckSeesAnything() throws Exception {
    CheckpointFolder checkpoints = CheckpointFolder.open(root, 3);
    Path newest = twoCheckpoints(checkpoints);
    damageTheAttributes(newest);
    TinyTraining other = new TinyTraining(Kind.ADAM, 8);
    List<String> checked = new ArrayList<>();

    Checkpoint.Restored restored =
        checkpoints
            .restoreLatest(
                other.model,
                other.optimizer,
                other.carriedShapes(),
                (file, saved) ->
                    checked.add(file.getFileName() + " hidden=" + saved.attributes().get("hidden")))
            .orElseThrow();

    assertEquals(List.of("step-000002.ckpt hidden=16"), checked);
    assertEquals(2, restored.progress().step());
    assertEquals(
        List.of(newest + ": the checksum does not match its content; the file is corrupt"),
        restored.passedOver());
  }

  @Test
  void aRefusalStopsTheRestoreWithTheCallersExceptionAndChangesNothing() throws Exception {
    CheckpointFolder checkpoints = CheckpointFolder.open(root, 3);
    Path newest = twoCheckpoints(checkpoints);
    TinyTraining other = new TinyTraining(Kind.ADAM, 8);
    TinyTraining.ParameterBits before = TinyTraining.bits(other.model);
    var optimizerBefore = other.optimizer.exportState();
    IllegalArgumentException refusal = new IllegalArgumentException("saved with another --hidden");
    List<Path> checked = new ArrayList<>();

    IllegalArgumentException thrown =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                checkpoints.restoreLatest(
                    other.model,
                    other.optimizer,
                    other.carriedShapes(),
                    (file, saved) -> {
                      checked.add(file);
                      throw refusal;
                    }));

    assertSame(refusal, thrown);
    assertEquals(List.of(newest), checked, "an older checkpoint is not tried after a refusal");
    assertEquals(before, TinyTraining.bits(other.model));
    assertEquals(optimizerBefore, other.optimizer.exportState());
  }

  @Test
  void aRefusalAfterDamagedCheckpointsCarriesTheirProblems() throws Exception {
    CheckpointFolder checkpoints = CheckpointFolder.open(root, 3);
    Path newest = twoCheckpoints(checkpoints);
    damageTheAttributes(newest);
    TinyTraining other = new TinyTraining(Kind.ADAM, 8);

    IllegalArgumentException refusal =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                checkpoints.restoreLatest(
                    other.model,
                    other.optimizer,
                    other.carriedShapes(),
                    (file, saved) -> {
                      throw new IllegalArgumentException(file + " has other settings");
                    }));

    assertEquals(1, refusal.getSuppressed().length);
    assertEquals(
        newest + ": the checksum does not match its content; the file is corrupt",
        refusal.getSuppressed()[0].getMessage());
  }

  @Test
  void theCheckRunsBeforeTheModelIsChanged() throws Exception {
    CheckpointFolder checkpoints = CheckpointFolder.open(root, 3);
    Path unused = twoCheckpoints(checkpoints);
    TinyTraining other = new TinyTraining(Kind.ADAM, 8);
    TinyTraining.ParameterBits before = TinyTraining.bits(other.model);
    List<Boolean> unchangedWhenChecked = new ArrayList<>();

    Checkpoint.Restored restored =
        checkpoints
            .restoreLatest(
                other.model,
                other.optimizer,
                other.carriedShapes(),
                (file, saved) ->
                    unchangedWhenChecked.add(before.equals(TinyTraining.bits(other.model))))
            .orElseThrow();

    assertEquals(List.of(true), unchangedWhenChecked);
    assertFalse(before.equals(TinyTraining.bits(other.model)), "restored after the check");
    assertEquals(4, restored.progress().step());
  }

  @Test
  void anIntactCheckpointOfAnotherModelStopsTheRestoreWithItsProblem() throws Exception {
    CheckpointFolder checkpoints = CheckpointFolder.open(root, 3);
    TinyTraining run = new TinyTraining(Kind.ADAM, 7, 6);
    run.train(1);
    Path older = checkpoints.save(run.model, run.optimizer, run.random, run.progress());
    run.train(1);
    Path newest = checkpoints.save(run.model, run.optimizer, run.random, run.progress());
    TinyTraining wider = new TinyTraining(Kind.ADAM, 7, 8);

    CheckpointException e =
        assertThrows(
            CheckpointException.class,
            () -> checkpoints.restoreLatest(wider.model, wider.optimizer));

    assertFalse(e instanceof NoIntactCheckpointException, e.getMessage());
    assertTrue(e.getMessage().startsWith(newest.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("the model expects [2, 32]"), e.getMessage());
    assertTrue(Files.exists(older));
  }

  @Test
  void aFileLargerThanAnyCheckpointOfTheModelIsPassedOverUnread() throws Exception {
    CheckpointFolder checkpoints = CheckpointFolder.open(root, 3);
    Path unused = twoCheckpoints(checkpoints);
    Path huge = root.resolve(CheckpointFolder.fileName(6));
    try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
      file.setLength(1L << 40); // sparse: a terabyte that takes no space, and must not be read
    }
    TinyTraining other = new TinyTraining(Kind.ADAM, 8);

    Checkpoint.Restored restored = other.restoreLatest(checkpoints);

    assertEquals(4, restored.progress().step());
    assertEquals(1, restored.passedOver().size());
    assertTrue(
        restored.passedOver().get(0).startsWith(huge + ": the file has " + (1L << 40) + " bytes"),
        restored.passedOver().get(0));
  }

  @Test
  void whenEveryCheckpointIsDamagedOneExceptionNamesTheFolderAndTheNewestProblem()
      throws Exception {
    CheckpointFolder checkpoints = CheckpointFolder.open(root, 3);
    Path newest = twoCheckpoints(checkpoints);
    Path older = checkpoints.checkpoints().get(0);
    damageTheAttributes(newest);
    Files.write(older, new byte[] {1, 2, 3});
    TinyTraining other = new TinyTraining(Kind.ADAM, 8);
    List<Path> checked = new ArrayList<>();

    NoIntactCheckpointException e =
        assertThrows(
            NoIntactCheckpointException.class,
            () ->
                checkpoints.restoreLatest(
                    other.model, other.optimizer, null, (file, saved) -> checked.add(file)));

    String newestProblem =
        newest + ": the checksum does not match its content; the file is corrupt";
    assertEquals(
        root + ": none of the 2 checkpoints is intact; the newest: " + newestProblem,
        e.getMessage());
    assertEquals(2, e.problems().size());
    assertEquals(newestProblem, e.problems().get(0));
    assertTrue(e.problems().get(1).startsWith(older + ": "), e.problems().get(1));
    assertEquals(List.of(), checked);
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(older));
  }
}
