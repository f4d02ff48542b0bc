package dev.rewind.train.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.train.checkpoint.TinyTraining.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Naming, keeping the last K, one writer, restoring the newest checkpoint (more in {@link
 * RestoreLatestTest}).
 */
class CheckpointFolderTest {
  @TempDir Path root;

  @Test
  void checkpointsAreNamedByStep() {
    assertEquals("step-000120.ckpt", CheckpointFolder.fileName(120));
    assertEquals("step-1234567.ckpt", CheckpointFolder.fileName(1_234_567));
  }

  @Test
  void onlyTheLastKAreKept() throws Exception {
    CheckpointFolder checkpoints = CheckpointFolder.open(root.resolve("run"), 3);
    TinyTraining run = new TinyTraining(Kind.SGD_MOMENTUM, 7);
    for (int i = 0; i < 6; i++) {
      run.train(2);
      Path written = checkpoints.save(run.model, run.optimizer, run.random, run.progress());
      assertEquals(checkpoints.folder().resolve(CheckpointFolder.fileName(run.step)), written);
    }

    assertEquals(
        List.of("step-000008.ckpt", "step-000010.ckpt", "step-000012.ckpt"), names(checkpoints));
  }

  @Test
  void stepsAreOrderedByNumberNotByName() throws Exception {
    CheckpointFolder checkpoints = CheckpointFolder.open(root, 2);
    TinyTraining run = new TinyTraining(Kind.ADAM, 7);
    for (long step : new long[] {99, 1_000_000, 999_999}) {
      run.step = step;
      Path unused = checkpoints.save(run.model, run.optimizer, run.random, run.progress());
    }

    assertEquals(List.of("step-999999.ckpt", "step-1000000.ckpt"), names(checkpoints));
    assertEquals("step-1000000.ckpt", checkpoints.latest().orElseThrow().getFileName().toString());
  }

  @Test
  void theCheckpointJustWrittenIsNeverPruned() throws Exception {
    CheckpointFolder checkpoints = CheckpointFolder.open(root, 1);
    TinyTraining run = new TinyTraining(Kind.ADAM, 7);
    run.step = 50;
    Path unused = checkpoints.save(run.model, run.optimizer, run.random, run.progress());
    run.step = 40; // resumed from an older checkpoint, say
    Path written = checkpoints.save(run.model, run.optimizer, run.random, run.progress());

    assertTrue(Files.exists(written));
  }

  @Test
  void anEmptyFolderRestoresNothing() throws Exception {
    TinyTraining run = new TinyTraining(Kind.ADAM, 7);

    assertEquals(
        Optional.empty(), CheckpointFolder.open(root, 2).restoreLatest(run.model, run.optimizer));
  }

  @Test
  void theNewestCheckpointIsRestored() throws Exception {
    CheckpointFolder checkpoints = CheckpointFolder.open(root, 3);
    TinyTraining run = new TinyTraining(Kind.ADAM, 7);
    run.train(2);
    Path unused = checkpoints.save(run.model, run.optimizer, run.random, run.progress());
    run.train(2);
    unused = checkpoints.save(run.model, run.optimizer, run.random, run.progress());

    TinyTraining other = new TinyTraining(Kind.ADAM, 8);
    Checkpoint.Restored restored =
        checkpoints.restoreLatest(other.model, other.optimizer).orElseThrow();

    assertEquals(4, restored.progress().step());
    assertEquals(TinyTraining.bits(run.model), TinyTraining.bits(other.model));
  }

  @Test
  void aCorruptNewestCheckpointIsPassedOverAndNamed() throws Exception {
    CheckpointFolder checkpoints = CheckpointFolder.open(root, 3);
    TinyTraining run = new TinyTraining(Kind.IRPROP_PLUS, 7);
    run.train(2);
    Path unused = checkpoints.save(run.model, run.optimizer, run.random, run.progress());
    TinyTraining.Fingerprint atStep2 = run.fingerprint();
    run.train(2);
    Path newest = checkpoints.save(run.model, run.optimizer, run.random, run.progress());
    byte[] bytes = Files.readAllBytes(newest);
    Files.write(newest, java.util.Arrays.copyOf(bytes, bytes.length / 2));

    TinyTraining other = new TinyTraining(Kind.IRPROP_PLUS, 8);
    Checkpoint.Restored restored = other.restoreLatest(checkpoints);

    assertEquals(2, restored.progress().step());
    assertEquals(atStep2, other.fingerprint());
    assertEquals(1, restored.passedOver().size());
    assertTrue(
        restored.passedOver().get(0).startsWith(newest.toString()), restored.passedOver().get(0));
  }

  @Test
  void anotherWritersTemporaryFilesAreLeftAlone() throws Exception {
    CheckpointFolder checkpoints = CheckpointFolder.open(root, 3);
    Path leftover = root.resolve(".step-000009.ckpt.12345.tmp");
    Files.write(leftover, new byte[] {1, 2, 3});
    TinyTraining run = new TinyTraining(Kind.ADAM, 7);

    assertEquals(Optional.empty(), checkpoints.restoreLatest(run.model, run.optimizer));
    Path unused = checkpoints.save(run.model, run.optimizer, run.random, run.progress());

    assertTrue(Files.exists(leftover));
    assertEquals(List.of("step-000000.ckpt"), names(checkpoints));
  }

  @Test
  void aSecondWriterOfALockedFolderIsRefusedInOneLine() throws Exception {
    Path folder = root.resolve("run");
    try (CheckpointFolder first = CheckpointFolder.open(folder, 3)) {
      CheckpointException e =
          assertThrows(CheckpointException.class, () -> CheckpointFolder.open(folder, 3));

      assertEquals(
          folder
              + ": another process is writing checkpoints here (locked by "
              + folder.resolve(".lock")
              + "); wait for it or use another folder",
          e.getMessage());
      TinyTraining run = new TinyTraining(Kind.ADAM, 7);
      assertTrue(Files.exists(first.save(run.model, run.optimizer, run.random, run.progress())));
    }
  }

  @Test
  void closingTheFolderLetsTheNextWriterIn() throws Exception {
    TinyTraining run = new TinyTraining(Kind.ADAM, 7);
    try (CheckpointFolder first = CheckpointFolder.open(root, 3)) {
      Path unused = first.save(run.model, run.optimizer, run.random, run.progress());
    }
    try (CheckpointFolder second = CheckpointFolder.open(root, 3)) {
      assertEquals(List.of("step-000000.ckpt"), names(second));
    }
  }

  @Test
  void aClosedFolderSavesNothing() throws Exception {
    TinyTraining run = new TinyTraining(Kind.ADAM, 7);
    CheckpointFolder checkpoints = CheckpointFolder.open(root, 3);
    checkpoints.close();

    assertThrows(
        CheckpointException.class,
        () -> checkpoints.save(run.model, run.optimizer, run.random, run.progress()));
    assertEquals(List.of(), names(checkpoints));
  }

  @Test
  void aFileWhereTheFolderShouldBeIsRefusedAndKept() throws Exception {
    Path file = Files.writeString(root.resolve("notes.txt"), "mine");

    CheckpointException e =
        assertThrows(CheckpointException.class, () -> CheckpointFolder.open(file, 3));

    assertEquals(file + ": is a file, not a folder of checkpoints", e.getMessage());
    assertEquals("mine", Files.readString(file));
  }

  @Test
  void verifyReadsTheProgressWithoutAModel() throws Exception {
    TinyTraining run = new TinyTraining(Kind.ADAM, 7);
    run.train(3);
    Path file = root.resolve("step-000003.ckpt");
    Checkpoint.save(
        file,
        run.model,
        run.optimizer,
        run.random,
        run.progress().withAttributes(java.util.Map.of("hidden", "16")));

    Progress progress = Checkpoint.verify(file);

    assertEquals(3, progress.step());
    assertEquals(run.progress().dataPosition(), progress.dataPosition());
    assertEquals(java.util.Map.of("hidden", "16"), progress.attributes());
  }

  @Test
  void verifyFindsDamageInTheMetadata() throws Exception {
    TinyTraining run = new TinyTraining(Kind.ADAM, 7);
    Path file = root.resolve("step-000000.ckpt");
    Checkpoint.save(
        file,
        run.model,
        run.optimizer,
        run.random,
        run.progress().withAttributes(java.util.Map.of("hidden", "16")));
    String bytes =
        new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
    int at = bytes.indexOf("\"attribute.hidden\":\"16\"");
    assertTrue(at > 0);
    byte[] damaged = Files.readAllBytes(file);
    damaged[at + "\"attribute.hidden\":\"".length()] = '2';
    Files.write(file, damaged);

    CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.verify(file));

    assertEquals(
        file + ": the checksum does not match its content; the file is corrupt", e.getMessage());
  }

  static List<String> names(CheckpointFolder checkpoints) throws Exception {
    return checkpoints.checkpoints().stream().map(p -> p.getFileName().toString()).toList();
  }
}
