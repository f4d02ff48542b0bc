package dev.rewind.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Linear;
import dev.rewind.layers.Recurrent.Unrolled;
import dev.rewind.layers.loss.Losses;
import dev.rewind.layers.lstm.LstmCell;
import dev.rewind.layers.lstm.LstmState;
import dev.rewind.layers.seq.ManyToMany;
import dev.rewind.optim.Adam;
import dev.rewind.optim.Optimizer;
import dev.rewind.optim.clip.ClipByGlobalNorm;
import dev.rewind.optim.clip.ClippedOptimizer;
import dev.rewind.optim.clip.NonFinitePolicy;
import dev.rewind.train.checkpoint.CheckpointFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Training with the loop" example runs as printed, and a run stopped at step 30 and
 * called again up to step 60 ends with the losses of one uninterrupted run to step 60.
 */
class ReadmeTrainingExampleTest {
  @TempDir Path folder;

  // The README's code, as printed there.
  static FitResult train(Path runs, long untilStep) throws IOException {
    Random random = new Random(42);
    LstmCell cell = LstmCell.random(1, 16, random);
    ManyToMany<LstmState> model = new ManyToMany<>(cell, new Linear(16, 1, random));
    Optimizer optimizer =
        new ClippedOptimizer( // clipping is the optimizer's
            Adam.builder(model.namedParameters()).learningRate(0.01).build(),
            ClipByGlobalNorm.l2(1.0),
            NonFinitePolicy.SKIP_STEP);
    Trainer<LstmState> trainer =
        Trainer.builder(model, optimizer, 8, cell::initialState)
            .source(position -> sines(8, 40, new Random(position))) // a function of the position
            .step(
                (batch, state, generator) -> {
                  Unrolled<LstmState> run =
                      model.run(Var.constant(batch.inputs()), state, batch.mask());
                  Var loss = Losses.meanSquaredError(run.stacked(), Var.constant(batch.targets()));
                  return StepResult.of(loss, run.finalState());
                })
            .truncate(10) // 4 windows a batch
            .validation(position -> sines(8, 40, new Random(-1 - position)), 2, 50)
            .checkpoints(CheckpointFolder.open(runs, 3), 25) // every 25 steps, and the last
            .random(random)
            .listener(
                new TrainingListener() {
                  @Override
                  public void onValidation(ValidationEvent event) {
                    System.out.printf(
                        "step %d: validation loss %.4f%n", event.step(), event.loss());
                  }
                })
            .build();
    trainer.resume(); // the newest checkpoint in runs/, if any
    return trainer.fit(untilStep);
  }

  /**
   * Sine waves of random phase: inputs x(t) and targets x(t+1), each {@code [count, length, 1]}.
   */
  static Batch sines(int count, int length, Random random) {
    double[] inputs = new double[count * length];
    double[] targets = new double[count * length];
    for (int b = 0; b < count; b++) {
      double phase = 2 * Math.PI * random.nextDouble();
      for (int t = 0; t < length; t++) {
        inputs[b * length + t] = Math.sin(phase + 0.3 * t);
        targets[b * length + t] = Math.sin(phase + 0.3 * (t + 1));
      }
    }
    return Batch.of(
        Tensor.of(Shape.of(count, length, 1), inputs),
        Tensor.of(Shape.of(count, length, 1), targets));
  }

  @Test
  void aRunCalledAgainContinuesExactlyWhereItStopped() throws Exception {
    FitResult whole = train(folder.resolve("whole"), 60);
    FitResult first = train(folder.resolve("halves"), 30);
    FitResult second = train(folder.resolve("halves"), 60);

    assertEquals(30, first.stepsTaken());
    assertEquals(30, second.firstStep());
    assertEquals(whole.losses().subList(30, 60), second.losses());
    assertEquals(
        whole.finalValidationLoss().orElseThrow(), second.finalValidationLoss().orElseThrow());
    assertEquals(StopReason.FINISHED, second.reason());
  }
}
