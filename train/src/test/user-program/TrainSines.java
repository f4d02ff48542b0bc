import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Linear;
import dev.rewind.layers.Recurrent.Unrolled;
import dev.rewind.layers.io.LayerWeights;
import dev.rewind.layers.loss.Losses;
import dev.rewind.layers.lstm.LstmCell;
import dev.rewind.layers.lstm.LstmState;
import dev.rewind.layers.seq.ManyToMany;
import dev.rewind.optim.Adam;
import dev.rewind.optim.Optimizer;
import dev.rewind.optim.clip.ClipByGlobalNorm;
import dev.rewind.optim.clip.ClippedOptimizer;
import dev.rewind.optim.clip.NonFinitePolicy;
import dev.rewind.train.Batch;
import dev.rewind.train.FitResult;
import dev.rewind.train.StepResult;
import dev.rewind.train.Trainer;
import dev.rewind.train.TrainingListener;
import dev.rewind.train.ValidationEvent;
import dev.rewind.train.checkpoint.CheckpointFolder;
import java.nio.file.Path;
import java.util.Random;

/** java TrainSines [RUNS [STEPS]]: trains an LSTM to continue sine waves; run again to resume. */
public class TrainSines {
  public static void main(String[] args) throws Exception {
    Path runs = Path.of(args.length > 0 ? args[0] : "runs");          // defaults: runs, 100 steps
    long steps = args.length > 1 ? Long.parseLong(args[1]) : 100;
    Random random = new Random(42);
    LstmCell cell = LstmCell.random(1, 16, random);
    ManyToMany<LstmState> model = new ManyToMany<>(cell, new Linear(16, 1, random));
    Optimizer optimizer = new ClippedOptimizer( // clipping, like schedules, is the optimizer's
        Adam.builder(model.namedParameters()).learningRate(0.01).build(),
        ClipByGlobalNorm.l2(1.0), NonFinitePolicy.SKIP_STEP);
    try (CheckpointFolder checkpoints = CheckpointFolder.open(runs, 3)) { // one writer: a lock
      Trainer<LstmState> trainer = Trainer.builder(model, optimizer, 8, cell::initialState)
          .source(position -> sines(8, 40, new Random(position))) // a function of the position
          .step((batch, state, generator) -> {
            Unrolled<LstmState> run = model.run(Var.constant(batch.inputs()), state, batch.mask());
            Var loss = Losses.meanSquaredError(run.stacked(), Var.constant(batch.targets()));
            return StepResult.of(loss, run.finalState());
          })
          .truncate(10)                                          // 4 windows of 10 steps a batch
          .validation(position -> sines(8, 40, new Random(-1 - position)), 2, 500)
          .checkpoints(checkpoints, 50)                          // every 50 steps, and the last
          .random(random)
          .listener(new TrainingListener() {
            @Override
            public void onValidation(ValidationEvent event) {
              System.out.printf("step %d: validation loss %.4f%n", event.step(), event.loss());
            }
          })
          .build();
      trainer.resume().ifPresent(restored ->             // the newest checkpoint in RUNS, if any
          System.out.printf("resumed at step %d%n", restored.progress().step()));
      FitResult result = trainer.fit(steps);
      LayerWeights.save(model, runs.resolve("model.safetensors"));
      System.out.printf("%s after step %d%n", result.reason(), result.step());
    }
  }

  /** Sine waves of random phase: inputs x(t), targets x(t + 1), each [count, length, 1]. */
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
    return Batch.of(Tensor.of(Shape.of(count, length, 1), inputs),
        Tensor.of(Shape.of(count, length, 1), targets));
  }
}
