package dev.rewind.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.rewind.train.checkpoint.CheckpointFolder;
import dev.rewind.train.checkpoint.Forks;
import dev.rewind.train.checkpoint.TinyTraining;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * N steps through the {@link Trainer}, a checkpoint, and N more in a fresh JVM give, bit for bit,
 * the parameters, optimizer state, carried state, generator and position of 2N uninterrupted steps:
 * for SGD with momentum, iRprop+ and Adam (all clipped by global norm), with an LSTM, a skip cell
 * and an LSTM with variational dropout (whose masks come from the run's generator). N = 7 with
 * windows of 4 in batches of 6 puts the checkpoint inside a batch.
 */
class TrainerExactResumeTest {
  private static final int N = 7;

  @TempDir Path folder;

  static Stream<Arguments> runs() {
    return Stream.of(TinyTraining.Kind.values())
        .flatMap(kind -> Stream.of(LoopRun.Cell.values()).map(cell -> Arguments.of(kind, cell)));
  }

  @ParameterizedTest
  @MethodSource("runs")
  void resumedRunInAnotherJvmEqualsUninterruptedRun(TinyTraining.Kind kind, LoopRun.Cell cell)
      throws Exception {
    LoopRun uninterrupted = new LoopRun(kind, cell, 7, null, 0);
    FitResult whole = uninterrupted.trainer.fit(2 * N);

    Path run = folder.resolve("run");
    FitResult half;
    try (CheckpointFolder checkpoints = CheckpointFolder.open(run, 2)) {
      half = new LoopRun(kind, cell, 7, checkpoints, 5).trainer.fit(N);
    } // the folder's lock is released: the child process writes there next
    Forks.Result child =
        Forks.run(
            LoopResumeMain.class,
            folder.resolve("child.log"),
            Duration.ofSeconds(60),
            kind.name(),
            cell.name(),
            run.toString(),
            Integer.toString(2 * N));
    assertEquals(0, child.exitCode(), child.output());
    LoopRun reader;
    long restoredAt;
    try (CheckpointFolder checkpoints = CheckpointFolder.open(run, 2)) {
      reader = new LoopRun(kind, cell, 5, checkpoints, 1000);
      restoredAt = reader.trainer.resume().orElseThrow().progress().step();
    }

    assertEquals(N, half.step());
    assertEquals(2 * N, whole.step());
    assertEquals(2 * N, restoredAt);
    assertEquals(uninterrupted.fingerprint(), reader.fingerprint());
  }

  @Test
  void theGeneratorHandedToTheStepMattersToTheResult() {
    LoopRun uninterrupted = new LoopRun(TinyTraining.Kind.ADAM, LoopRun.Cell.LSTM, 7, null, 0);
    uninterrupted.trainer.fit(2 * N);
    LoopRun other = new LoopRun(TinyTraining.Kind.ADAM, LoopRun.Cell.LSTM, 7, null, 0);
    other.trainer.fit(N);
    other.trainer.random().setSeed(1); // forget the generator's state
    other.trainer.fit(2 * N);

    assertNotEquals(uninterrupted.fingerprint().parameters(), other.fingerprint().parameters());
  }
}
