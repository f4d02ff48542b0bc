package dev.rewind.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.train.checkpoint.Checkpoint;
import dev.rewind.train.checkpoint.CheckpointFolder;
import dev.rewind.train.checkpoint.Forks;
import dev.rewind.train.checkpoint.TinyTraining;
import dev.rewind.train.checkpoint.TinyTraining.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A loop told to stop finishes its step, saves a final checkpoint and exits; run again from that
 * checkpoint it continues exactly where it stopped. Tested in this JVM with a manual stop, and in a
 * child JVM stopped by a signal.
 */
class GracefulStopTest {
  @TempDir Path folder;

  @Test
  void aManualStopSavesAtAStepBoundaryAndTheRunContinuesExactly() throws Exception {
    CheckpointFolder checkpoints = CheckpointFolder.open(folder, 2);
    TinyTraining run = new TinyTraining(Kind.SGD_MOMENTUM, 7);
    try (GracefulStop stop = GracefulStop.manual()) {
      while (!stop.requested()) {
        run.train(1);
        if (run.step == 9) {
          stop.request();
        }
      }
      Path unused = checkpoints.save(run.model, run.optimizer, run.random, run.progress());
    }

    assertContinuesExactly(checkpoints, Kind.SGD_MOMENTUM, 9);
  }

  @Test
  void aSignalledProcessSavesAFinalCheckpointAndExitsCleanly() throws Exception {
    Path checkpointFolder = folder.resolve("run");
    Path log = folder.resolve("child.log");
    Process child = Forks.builder(StopMain.class, log, checkpointFolder.toString()).start();
    try {
      waitFor(log, "step 12", Duration.ofSeconds(30));
      String signal = interrupt(child);
      System.out.println("graceful stop: the child was sent " + signal);
      assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child did not exit after " + signal);
      String output = Forks.read(log);
      assertEquals(signal.equals("SIGINT") ? 130 : 143, child.exitValue(), output);

      Matcher stopped = Pattern.compile("stopped at step (\\d+): saved (\\S+)").matcher(output);
      assertTrue(stopped.find(), output);
      long step = Long.parseLong(stopped.group(1));
      assertEquals(CheckpointFolder.fileName(step), stopped.group(2));
      CheckpointFolder checkpoints = CheckpointFolder.open(checkpointFolder, 2);
      assertEquals(stopped.group(2), checkpoints.latest().orElseThrow().getFileName().toString());
      assertContinuesExactly(checkpoints, Kind.ADAM, step);
    } finally {
      child.destroyForcibly();
    }
  }

  /** Restores the newest checkpoint, trains 5 more steps, and compares with a run never stopped. */
  private static void assertContinuesExactly(
      CheckpointFolder checkpoints, Kind kind, long stoppedAt) throws IOException {
    TinyTraining resumed = new TinyTraining(kind, 1);
    Checkpoint.Restored restored = resumed.restoreLatest(checkpoints);
    assertEquals(stoppedAt, restored.progress().step());
    assertEquals(List.of(), restored.passedOver());
    resumed.train(5);
    TinyTraining uninterrupted = new TinyTraining(kind, 7);
    uninterrupted.train((int) stoppedAt + 5);

    assertEquals(uninterrupted.fingerprint(), resumed.fingerprint());
  }

  /**
   * Sends SIGINT, as Ctrl-C does, where the platform lets us and the child does not ignore it (a
   * child of a background job may inherit SIGINT ignored); SIGTERM otherwise. Both run the JVM's
   * shutdown hooks.
   */
  private static String interrupt(Process child) throws Exception {
    Path status = Path.of("/proc", Long.toString(child.pid()), "status");
    if (Files.isReadable(status)) {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("SigIgn:")) {
          long ignored = Long.parseUnsignedLong(line.substring(7).trim(), 16);
          boolean sigintIgnored = (ignored & (1L << (2 - 1))) != 0;
          if (!sigintIgnored) {
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

  private static void waitFor(Path log, String line, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Forks.read(log).contains(line + "\n")) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no '" + line + "' in " + timeout + ":\n" + Forks.read(log));
  }
}
