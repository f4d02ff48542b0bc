package dev.rewind.train.checkpoint;

import java.nio.file.Path;

/**
 * The second half of an interrupted run, in its own JVM: {@code ResumeMain KIND IN STEPS OUT}
 * builds a {@link TinyTraining} of optimizer {@code KIND} from other weights and another generator,
 * restores checkpoint {@code IN}, trains {@code STEPS} more steps and saves checkpoint {@code OUT}.
 */
public final class ResumeMain {
  private ResumeMain() {}

  public static void main(String[] args) throws Exception {
    TinyTraining run = new TinyTraining(TinyTraining.Kind.valueOf(args[0]), 999);
    run.random = new java.util.Random(999);
    run.restore(Path.of(args[1]));
    run.train(Integer.parseInt(args[2]));
    run.save(Path.of(args[3]));
    System.out.println("resumed at step " + (run.step - Integer.parseInt(args[2])));
  }
}
