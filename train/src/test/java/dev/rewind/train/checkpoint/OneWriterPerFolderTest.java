package dev.rewind.train.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.train.checkpoint.TinyTraining.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes on one checkpoint folder: the second is refused in one line, and the first finishes
 * with its checkpoints whole and its files untouched.
 */
class OneWriterPerFolderTest {
  @TempDir Path root;

  @Test
  void aSecondProcessIsRefusedAndTheFirstFinishesWithItsCheckpointsIntact() throws Exception {
    Path folder = root.resolve("run");
    Path firstLog = root.resolve("first.log");
    Process first = Forks.builder(WriterMain.class, firstLog, folder.toString(), "400").start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!Forks.read(firstLog).contains("opened")) {
        assertTrue(System.nanoTime() < deadline, "the first writer did not start: " + firstLog);
        Thread.sleep(20);
      }

      Forks.Result second =
          Forks.run(
              WriterMain.class, root.resolve("second.log"), Duration.ofSeconds(60), "" + folder);

      assertEquals(2, second.exitCode(), second.output());
      assertEquals(
          folder
              + ": another process is writing checkpoints here (locked by "
              + folder.resolve(".lock")
              + "); wait for it or use another folder",
          second.output().strip());
      assertTrue(first.waitFor(120, TimeUnit.SECONDS), Forks.read(firstLog));
      assertEquals(0, first.exitValue(), Forks.read(firstLog));
      assertTrue(Forks.read(firstLog).contains("finished at step 400"), Forks.read(firstLog));
    } finally {
      first.destroyForcibly();
    }
    try (Stream<Path> files = Files.list(folder)) {
      assertEquals(
          List.of(".lock", "step-000398.ckpt", "step-000399.ckpt", "step-000400.ckpt"),
          files.map(f -> f.getFileName().toString()).sorted().toList());
    }
    TinyTraining uninterrupted = new TinyTraining(Kind.ADAM, 7);
    uninterrupted.train(400);
    TinyTraining restored = new TinyTraining(Kind.ADAM, 8);
    Checkpoint.Restored unused = restored.restore(folder.resolve("step-000400.ckpt"));
    assertEquals(uninterrupted.fingerprint(), restored.fingerprint());
    assertEquals(398, Checkpoint.verify(folder.resolve("step-000398.ckpt")).step());
  }
}
