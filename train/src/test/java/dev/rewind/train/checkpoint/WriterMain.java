package dev.rewind.train.checkpoint;

import dev.rewind.train.checkpoint.TinyTraining.Kind;
import java.nio.file.Path;

/**
 * One writer of a checkpoint folder: {@code WriterMain FOLDER STEPS} opens {@code FOLDER}, says
 * "opened", and trains a {@link TinyTraining} for {@code STEPS} steps, saving after each one and
 * pausing 20 ms between them; a refused open prints the message and exits with 2.
 */
public final class WriterMain {
  private WriterMain() {}

  public static void main(String[] args) throws Exception {
    CheckpointFolder checkpoints;
    try {
      checkpoints = CheckpointFolder.open(Path.of(args[0]), 3);
    } catch (CheckpointException e) {
      System.out.println(e.getMessage());
      System.exit(2);
      return;
    }
    try (checkpoints) {
      System.out.println("opened");
      TinyTraining run = new TinyTraining(Kind.ADAM, 7);
      long steps = Long.parseLong(args[1]);
      while (run.step < steps) {
        run.train(1);
        Path unused = checkpoints.save(run.model, run.optimizer, run.random, run.progress());
        Thread.sleep(20);
      }
      System.out.println("finished at step " + run.step);
    }
  }
}
