package dev.rewind.train.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Training N steps, checkpointing, and training N more from the checkpoint gives exactly, bit for
 * bit, the weights, optimizer state and generator of 2N uninterrupted steps: in one JVM, and with
 * the second half in a fresh JVM.
 */
class ExactResumeTest {
  private static final int N = 13;

  @TempDir Path folder;

  @ParameterizedTest
  @EnumSource(TinyTraining.Kind.class)
  void resumingInTheSameJvmMatchesAnUninterruptedRun(TinyTraining.Kind kind) throws Exception {
    TinyTraining.Fingerprint uninterrupted = uninterrupted(kind);

    TinyTraining first = new TinyTraining(kind, 7);
    first.train(N);
    Path checkpoint = folder.resolve("half.ckpt");
    first.save(checkpoint);
    TinyTraining second = new TinyTraining(kind, 999);
    second.random = new java.util.Random(999);
    second.restore(checkpoint);
    second.train(N);

    assertEquals(uninterrupted, second.fingerprint());
  }

  @ParameterizedTest
  @EnumSource(TinyTraining.Kind.class)
  void resumingInAFreshJvmMatchesAnUninterruptedRun(TinyTraining.Kind kind) throws Exception {
    TinyTraining.Fingerprint uninterrupted = uninterrupted(kind);

    TinyTraining first = new TinyTraining(kind, 7);
    first.train(N);
    Path half = folder.resolve("half.ckpt");
    Path end = folder.resolve("end.ckpt");
    first.save(half);
    Forks.Result child =
        Forks.run(
            ResumeMain.class,
            folder.resolve("child.log"),
            Duration.ofSeconds(60),
            kind.name(),
            half.toString(),
            Integer.toString(N),
            end.toString());
    assertEquals(0, child.exitCode(), child.output());

    TinyTraining reader = new TinyTraining(kind, 5);
    reader.restore(end);
    assertEquals(uninterrupted, reader.fingerprint());
  }

  @ParameterizedTest
  @EnumSource(TinyTraining.Kind.class)
  void theGeneratorMattersToTheResult(TinyTraining.Kind kind) throws Exception {
    TinyTraining first = new TinyTraining(kind, 7);
    first.train(N);
    Path checkpoint = folder.resolve("half.ckpt");
    first.save(checkpoint);
    TinyTraining second = new TinyTraining(kind, 7);
    second.restore(checkpoint);
    second.random = new java.util.Random(TinyTraining.DATA_SEED); // forget the generator's state
    second.train(N);

    assertNotEquals(uninterrupted(kind).parameters(), second.fingerprint().parameters());
  }

  @ParameterizedTest
  @EnumSource(TinyTraining.Kind.class)
  void theCarriedStateMattersToTheResult(TinyTraining.Kind kind) throws Exception {
    TinyTraining first = new TinyTraining(kind, 7);
    first.train(N);
    Path checkpoint = folder.resolve("half.ckpt");
    first.save(checkpoint);
    TinyTraining second = new TinyTraining(kind, 7);
    second.restore(checkpoint);
    second.carried = dev.rewind.layers.lstm.LstmState.zeros(TinyTraining.BATCH, second.hidden);
    second.train(N);

    assertNotEquals(uninterrupted(kind).parameters(), second.fingerprint().parameters());
  }

  @ParameterizedTest
  @EnumSource(TinyTraining.Kind.class)
  void clippingIsActiveInTheseRuns(TinyTraining.Kind kind) {
    TinyTraining run = new TinyTraining(kind, 7);
    int clipped = 0;
    for (int i = 0; i < 2 * N; i++) {
      if (run.step(run.guard, (batch, loss) -> loss).report().gradientNorm() > 0.25) {
        clipped++;
      }
    }
    assertTrue(clipped > 0, "no step was clipped");
  }

  private static TinyTraining.Fingerprint uninterrupted(TinyTraining.Kind kind) {
    TinyTraining run = new TinyTraining(kind, 7);
    run.train(2 * N);
    return run.fingerprint();
  }
}
