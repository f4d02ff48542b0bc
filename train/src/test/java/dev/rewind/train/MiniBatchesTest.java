package dev.rewind.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.train.checkpoint.CheckpointFolder;
import dev.rewind.train.checkpoint.TinyTraining;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link MiniBatches}: shuffled batches over arrays, a function of the position alone. */
class MiniBatchesTest {
  private static final long SEED = 20L;

  @TempDir Path folder;

  /** Row r of inputs [n, time, 2] holds r everywhere, so a batch names the rows it was cut from. */
  private static Tensor labelledInputs(int n, int time) {
    double[] values = new double[n * time * 2];
    for (int i = 0; i < values.length; i++) {
      values[i] = i / (time * 2);
    }
    return Tensor.of(Shape.of(n, time, 2), values);
  }

  private static Tensor labelledTargets(int n) {
    double[] values = new double[n];
    for (int r = 0; r < n; r++) {
      values[r] = 100 + r;
    }
    return Tensor.of(Shape.of(n, 1), values);
  }

  @Test
  void eachEpochVisitsEveryRowExactlyOnceInBatchesOfTheRightSize() {
    MiniBatches source = MiniBatches.of(labelledInputs(10, 3), labelledTargets(10), 4, SEED);
    MiniBatches kept = source.keepLast();

    assertEquals(3, kept.batchesPerEpoch());
    for (int epoch = 0; epoch < 3; epoch++) {
      int[] seen = new int[10];
      for (int k = 0; k < 3; k++) {
        Batch batch = kept.batch(epoch * 3L + k);
        assertEquals(k < 2 ? 4 : 2, batch.size(), "epoch " + epoch + " batch " + k);
        for (int b = 0; b < batch.size(); b++) {
          int row = (int) batch.inputs().get(b, 0, 0);
          assertEquals(100 + row, batch.targets().get(b, 0), "the targets follow the inputs");
          seen[row]++;
        }
      }
      int[] once = new int[10];
      Arrays.fill(once, 1);
      assertArrayEquals(once, seen, "epoch " + epoch);
    }
  }

  @Test
  void droppingTheLastBatchLeavesOnlyFullBatches() {
    MiniBatches source = MiniBatches.of(labelledInputs(10, 3), labelledTargets(10), 4, SEED);

    assertEquals(2, source.batchesPerEpoch());
    for (long position = 0; position < 8; position++) {
      assertEquals(4, source.batch(position).size());
      assertFalse(source.batch(position).continues());
    }
    // Position 2 is the first batch of epoch 1, not the short remainder of epoch 0.
    assertArrayEquals(source.keepLast().rowsAt(3), source.rowsAt(2));
  }

  @Test
  void theSamePositionGivesTheSameBatch() {
    MiniBatches one = MiniBatches.of(labelledInputs(9, 2), labelledTargets(9), 3, SEED);
    MiniBatches other = MiniBatches.of(labelledInputs(9, 2), labelledTargets(9), 3, SEED);
    Random positions = new Random(5);

    for (int i = 0; i < 20; i++) {
      long position = positions.nextInt(1000);
      Batch first = one.batch(position);
      Batch unused =
          one.batch(positions.nextInt(1000)); // reading elsewhere in between changes nothing
      assertEquals(first, one.batch(position));
      assertEquals(first, other.batch(position));
    }
  }

  @Test
  void differentEpochsGiveDifferentOrders() {
    MiniBatches source = MiniBatches.of(labelledInputs(12, 2), labelledTargets(12), 12, SEED);
    MiniBatches otherSeed = MiniBatches.of(labelledInputs(12, 2), labelledTargets(12), 12, 21L);

    assertFalse(Arrays.equals(source.rowsAt(0), source.rowsAt(1)));
    assertFalse(Arrays.equals(source.rowsAt(1), source.rowsAt(2)));
    assertFalse(Arrays.equals(source.rowsAt(0), otherSeed.rowsAt(0)));
  }

  @Test
  void theMaskIsGatheredWithTheRows() {
    Tensor mask = Tensor.of(Shape.of(4, 2), 1, 1, 1, 0, 1, 1, 1, 0);
    MiniBatches source = MiniBatches.masked(labelledInputs(4, 2), labelledTargets(4), mask, 2, 3L);

    Batch batch = source.batch(0);
    for (int b = 0; b < 2; b++) {
      int row = (int) batch.inputs().get(b, 0, 0);
      assertEquals(row % 2 == 0 ? 1.0 : 0.0, batch.mask().get(b, 1));
    }
    assertNull(MiniBatches.of(labelledInputs(4, 2), labelledTargets(4), 2, 3L).batch(0).mask());
  }

  @Test
  void aResumedTrainerEqualsAnUninterruptedOne() throws Exception {
    // 7 rows in batches of 3 (LoopRun's batch size): 2 batches an epoch, 2 steps a batch.
    Random data = new Random(11);
    int n = 7;
    Tensor inputs =
        Tensor.randomUniform(Shape.of(n, LoopRun.LENGTH, LoopRun.INPUTS), -0.5, 0.5, data);
    Tensor targets = Tensor.randomUniform(Shape.of(n, LoopRun.LENGTH, 1), -0.5, 0.5, data);
    MiniBatches source = MiniBatches.of(inputs, targets, LoopRun.BATCH, SEED);

    LoopRun uninterrupted = run(source, null);
    FitResult whole = uninterrupted.trainer.fit(10);
    LoopRun resumed;
    try (CheckpointFolder checkpoints = CheckpointFolder.open(folder, 2)) {
      FitResult half = run(source, checkpoints).trainer.fit(5);
      assertEquals(5, half.step());
      resumed = run(MiniBatches.of(inputs, targets, LoopRun.BATCH, SEED), checkpoints);
      assertEquals(5, resumed.trainer.resume().orElseThrow().progress().step());
      FitResult rest = resumed.trainer.fit(10);
      assertEquals(whole.step(), rest.step());
    }

    assertEquals(uninterrupted.fingerprint(), resumed.fingerprint());
  }

  private static LoopRun run(BatchSource source, CheckpointFolder checkpoints) {
    return new LoopRun(
        TinyTraining.Kind.ADAM,
        LoopRun.Cell.LSTM,
        7,
        checkpoints,
        1,
        source,
        AnomalyGuard.Detection.REPLAY);
  }

  @Test
  void batchSizeOutsideOneToTheRowCountIsRefused() {
    Tensor inputs = labelledInputs(5, 2);
    Tensor targets = labelledTargets(5);

    IllegalArgumentException zero =
        assertThrows(IllegalArgumentException.class, () -> MiniBatches.of(inputs, targets, 0, 1L));
    IllegalArgumentException tooMany =
        assertThrows(IllegalArgumentException.class, () -> MiniBatches.of(inputs, targets, 6, 1L));

    assertEquals(
        "miniBatches: batch size 0 is outside [1, 5], the number of rows", zero.getMessage());
    assertEquals(
        "miniBatches: batch size 6 is outside [1, 5], the number of rows", tooMany.getMessage());
  }

  @Test
  void targetsWithAnotherRowCountAreRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MiniBatches.of(labelledInputs(5, 2), labelledTargets(4), 2, 1L));

    assertEquals(
        "miniBatches: inputs have 5 rows but targets have 4 (inputs [5, 2, 2], targets [4, 1])",
        e.getMessage());
  }

  @Test
  void aMaskOfTheWrongShapeIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                MiniBatches.masked(
                    labelledInputs(5, 2), labelledTargets(5), Tensor.ones(5, 3), 2, 1L));

    assertEquals(
        "miniBatches: mask [5, 3] does not fit inputs [5, 2, 2]: expected [5, 2]", e.getMessage());
  }

  @Test
  void aNegativePositionIsRefused() {
    MiniBatches source = MiniBatches.of(labelledInputs(5, 2), labelledTargets(5), 2, 1L);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> source.batch(-1));

    assertEquals("miniBatches: position -1 is negative", e.getMessage());
  }
}
