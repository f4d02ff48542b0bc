package dev.rewind.train;

import dev.rewind.train.checkpoint.CheckpointFolder;
import dev.rewind.train.checkpoint.TinyTraining;
import dev.rewind.train.checkpoint.TinyTraining.Kind;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A training loop that runs until the process is told to stop: {@code StopMain FOLDER} trains a
 * {@link TinyTraining}, saving a checkpoint into {@code FOLDER} every 5 steps, and on SIGINT or
 * SIGTERM saves a final one at the step boundary and exits.
 */
public final class StopMain {
  private StopMain() {}

  public static void main(String[] args) throws Exception {
    CheckpointFolder checkpoints = CheckpointFolder.open(Path.of(args[0]), 2);
    TinyTraining run = new TinyTraining(Kind.ADAM, 7);
    try (GracefulStop stop = GracefulStop.onShutdown(Duration.ofSeconds(30))) {
      while (!stop.requested()) {
        run.train(1);
        if (run.step % 5 == 0) {
          Path unused = checkpoints.save(run.model, run.optimizer, run.random, run.progress());
        }
        System.out.println("step " + run.step);
        Thread.sleep(1);
      }
      Path last = checkpoints.save(run.model, run.optimizer, run.random, run.progress());
      System.out.println("stopped at step " + run.step + ": saved " + last.getFileName());
    }
  }
}
