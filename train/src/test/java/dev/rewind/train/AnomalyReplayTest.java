package dev.rewind.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.train.checkpoint.CheckpointFolder;
import dev.rewind.train.checkpoint.RandomState;
import dev.rewind.train.checkpoint.TinyTraining;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A step whose loss is not finite is replayed in anomaly mode with a copy of the run's generator as
 * it was before the step, so the replay leaves no trace: the run stays reproducible from any
 * checkpoint. Step 3 of {@link LoopRun} (the first window of the batch at position 1) has a NaN
 * target, so its loss and gradients are NaN and clipping's {@code SKIP_STEP} skips it; the inputs,
 * and the state carried on, stay finite.
 */
class AnomalyReplayTest {
  private static final long STEPS = 8;

  @TempDir Path folder;

  private static Batch withANanTargetAtStep3(long position) {
    Batch batch = LoopRun.batch(position);
    if (position != 1) {
      return batch;
    }
    Tensor targets = batch.targets();
    double[] values = new double[targets.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = targets.getFlat(i);
    }
    values[0] = Double.NaN; // sequence 0, time step 0: inside the window of step 3
    Shape shape = targets.shape();
    return new Batch(batch.inputs(), Tensor.of(shape, values), batch.mask(), batch.continues());
  }

  private static LoopRun run(CheckpointFolder checkpoints, AnomalyGuard.Detection detection) {
    return run(LoopRun.Cell.LSTM, checkpoints, detection);
  }

  private static LoopRun run(
      LoopRun.Cell cell, CheckpointFolder checkpoints, AnomalyGuard.Detection detection) {
    return new LoopRun(
        TinyTraining.Kind.ADAM,
        cell,
        7,
        checkpoints,
        2,
        AnomalyReplayTest::withANanTargetAtStep3,
        detection);
  }

  @Test
  void theGeneratorAfterAReplayedStepIsWhereOneDrawOfTheStepLeavesIt() {
    LoopRun run = run(null, AnomalyGuard.Detection.REPLAY);
    StepEvent unused = run.trainer.trainStep();
    unused = run.trainer.trainStep();
    Random withoutReplay = RandomState.copy(run.trainer.random());
    Tensor drawn = LoopRun.noise(withANanTargetAtStep3(1).window(0, LoopRun.WINDOW), withoutReplay);

    StepEvent third = run.trainer.trainStep();

    assertTrue(third.skipped(), "step 3 is skipped");
    assertTrue(third.anomaly().isPresent(), "step 3 is replayed in anomaly mode");
    assertTrue(
        !third.anomaly().get().op().startsWith("anomaly mode found no op"),
        "the replay found the op: " + third.anomaly().get().describe());
    assertEquals(Shape.of(LoopRun.BATCH, LoopRun.WINDOW, LoopRun.INPUTS), drawn.shape());
    assertEquals(withoutReplay.nextLong(), run.trainer.random().nextLong());
  }

  @Test
  void aRunThatSkipsAStepEqualsTheSameRunResumedFromACheckpointBeforeIt() throws Exception {
    LoopRun uninterrupted = run(null, AnomalyGuard.Detection.REPLAY);
    FitResult whole = uninterrupted.trainer.fit(STEPS);
    LoopRun resumed;
    try (CheckpointFolder checkpoints = CheckpointFolder.open(folder, 3)) {
      FitResult unused = run(checkpoints, AnomalyGuard.Detection.REPLAY).trainer.fit(2);
      resumed = run(checkpoints, AnomalyGuard.Detection.REPLAY);
      assertEquals(2, resumed.trainer.resume().orElseThrow().progress().step());
      FitResult rest = resumed.trainer.fit(STEPS);
      assertEquals(1, rest.losses().stream().filter(loss -> loss.isNaN()).count());
    }

    assertEquals(1, uninterrupted.trainer.guard().skippedSteps());
    assertEquals(STEPS, whole.step());
    assertEquals(uninterrupted.fingerprint(), resumed.fingerprint());
  }

  /** With dropout too: the replay draws its masks from the copy, never from the run's generator. */
  @ParameterizedTest
  @EnumSource(
      value = LoopRun.Cell.class,
      names = {"LSTM", "LSTM_DROPOUT"})
  void aReplayedRunEqualsOneRecordedInAnomalyModeThatNeedsNoReplay(LoopRun.Cell cell) {
    LoopRun replayed = run(cell, null, AnomalyGuard.Detection.REPLAY);
    LoopRun recorded = run(cell, null, AnomalyGuard.Detection.EVERY_STEP);

    FitResult a = replayed.trainer.fit(STEPS);
    FitResult b = recorded.trainer.fit(STEPS);

    assertEquals(1, replayed.trainer.guard().skippedSteps());
    assertEquals(1, recorded.trainer.guard().skippedSteps());
    assertEquals(
        Arrays.toString(b.lossArray()), Arrays.toString(a.lossArray()), "the losses, step by step");
    assertEquals(recorded.fingerprint(), replayed.fingerprint());
  }
}
