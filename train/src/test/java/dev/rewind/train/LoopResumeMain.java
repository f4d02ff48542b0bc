package dev.rewind.train;

import dev.rewind.train.checkpoint.CheckpointFolder;
import dev.rewind.train.checkpoint.TinyTraining;
import java.nio.file.Path;

/**
 * The second half of an interrupted run through the {@link Trainer}, in its own JVM: {@code
 * LoopResumeMain KIND CELL FOLDER UNTIL} builds a {@link LoopRun} from other weights, resumes from
 * the newest checkpoint in {@code FOLDER} and trains until step {@code UNTIL}, which saves a final
 * checkpoint there.
 */
public final class LoopResumeMain {
  private LoopResumeMain() {}

  public static void main(String[] args) throws Exception {
    try (CheckpointFolder folder = CheckpointFolder.open(Path.of(args[2]), 2)) {
      LoopRun run =
          new LoopRun(
              TinyTraining.Kind.valueOf(args[0]), LoopRun.Cell.valueOf(args[1]), 999, folder, 1000);
      long resumedAt = run.trainer.resume().orElseThrow().progress().step();
      FitResult result = run.trainer.fit(Long.parseLong(args[3]));
      System.out.println("resumed at step " + resumedAt + ", stopped at " + result.step());
    }
  }
}
