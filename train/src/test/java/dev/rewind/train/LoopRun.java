package dev.rewind.train;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Linear;
import dev.rewind.layers.Recurrent.Unrolled;
import dev.rewind.layers.RecurrentState;
import dev.rewind.layers.VariationalDropout;
import dev.rewind.layers.leaky.SkipCell;
import dev.rewind.layers.leaky.SkipState;
import dev.rewind.layers.loss.Losses;
import dev.rewind.layers.lstm.LstmCell;
import dev.rewind.layers.lstm.LstmState;
import dev.rewind.layers.seq.ManyToMany;
import dev.rewind.optim.OptimizerState;
import dev.rewind.optim.clip.ClipByGlobalNorm;
import dev.rewind.optim.clip.ClippedOptimizer;
import dev.rewind.optim.clip.NonFinitePolicy;
import dev.rewind.train.checkpoint.CheckpointFolder;
import dev.rewind.train.checkpoint.TinyTraining;
import java.util.Random;

/**
 * A small run through the {@link Trainer} whose every number depends on everything a checkpoint
 * holds: a cell (LSTM, skip, or LSTM with variational dropout) with a linear readout learning to
 * echo a noisy sum of its inputs, batches of 6 steps cut into windows of 4 (so checkpoints fall
 * inside batches), every third batch starting new sequences, input noise drawn from the run's
 * generator, gradients clipped to global norm 0.25.
 */
final class LoopRun {
  /** The cells the exact-resume guarantee is tested with. */
  enum Cell {
    LSTM,
    SKIP,
    /** An LSTM with variational dropout, built with a generator of its own. */
    LSTM_DROPOUT
  }

  static final int INPUTS = 2;
  static final int HIDDEN = 5;
  static final int BATCH = 3;
  static final int LENGTH = 6;
  static final int WINDOW = 4;

  final Trainer<?> trainer;
  final ManyToMany<?> model;

  LoopRun(TinyTraining.Kind kind, Cell cell, long seed, CheckpointFolder folder, long every) {
    this(kind, cell, seed, folder, every, LoopRun::batch, AnomalyGuard.Detection.REPLAY);
  }

  /**
   * A run reading {@code source} instead of {@link #batch}, anomalies found as {@code detection}
   * says.
   */
  LoopRun(
      TinyTraining.Kind kind,
      Cell cell,
      long seed,
      CheckpointFolder folder,
      long every,
      BatchSource source,
      AnomalyGuard.Detection detection) {
    Random init = new Random(seed);
    if (cell == Cell.LSTM) {
      LstmCell lstm = LstmCell.random(INPUTS, HIDDEN, init);
      ManyToMany<LstmState> network = new ManyToMany<>(lstm, new Linear(HIDDEN, 1, init));
      this.model = network;
      this.trainer = build(kind, network, folder, every, source, detection);
    } else if (cell == Cell.LSTM_DROPOUT) {
      // Its own generator differs from run to run: only the run's, handed down by the loop,
      // makes the masks of a resumed run those of the uninterrupted one.
      VariationalDropout<LstmState> lstm =
          VariationalDropout.wrap(
              LstmCell.random(INPUTS, HIDDEN, init), 0.2, 0.2, 0.2, new Random(seed * 31 + 1));
      ManyToMany<LstmState> network = new ManyToMany<>(lstm, new Linear(HIDDEN, 1, init));
      this.model = network;
      this.trainer = build(kind, network, folder, every, source, detection);
    } else {
      SkipCell skip = SkipCell.random(INPUTS, HIDDEN, 2, init);
      ManyToMany<SkipState> network = new ManyToMany<>(skip, new Linear(HIDDEN, 1, init));
      this.model = network;
      this.trainer = build(kind, network, folder, every, source, detection);
    }
  }

  /** The noise a step adds to the inputs of {@code window}, drawn from the run's generator. */
  static Tensor noise(Batch window, Random random) {
    return Tensor.randomNormal(window.inputs().shape(), 0, 0.05, random);
  }

  private static <S extends RecurrentState<S>> Trainer<S> build(
      TinyTraining.Kind kind,
      ManyToMany<S> network,
      CheckpointFolder folder,
      long every,
      BatchSource source,
      AnomalyGuard.Detection detection) {
    TrainingStep<S> step =
        (batch, state, random) -> {
          Var inputs = Var.constant(Pointwise.add(batch.inputs(), noise(batch, random)));
          Unrolled<S> run = network.run(inputs, state, batch.mask());
          Var loss = Losses.meanSquaredError(run.stacked(), Var.constant(batch.targets()));
          return StepResult.of(loss, run.finalState());
        };
    TrainerBuilder<S> builder =
        Trainer.builder(
                network,
                new ClippedOptimizer(
                    TinyTraining.optimizer(kind, network.parameters()),
                    ClipByGlobalNorm.l2(0.25),
                    NonFinitePolicy.SKIP_STEP),
                BATCH,
                network.cell()::initialState)
            .source(source)
            .step(step)
            .anomalyDetection(detection)
            .truncate(WINDOW)
            .random(new Random(TinyTraining.DATA_SEED));
    if (folder != null) {
      builder.checkpoints(folder, every).attributes(ImmutableMap.of("task", "noisy sum"));
    }
    return builder.build();
  }

  /** The batch at {@code position}: a function of the position alone. */
  static Batch batch(long position) {
    Random random = new Random(1_000_003L * (position + 1));
    double[] inputs = new double[BATCH * LENGTH * INPUTS];
    double[] sums = new double[BATCH * LENGTH];
    for (int b = 0; b < BATCH; b++) {
      double sum = 0;
      for (int t = 0; t < LENGTH; t++) {
        for (int i = 0; i < INPUTS; i++) {
          double x = random.nextDouble() - 0.5;
          inputs[(b * LENGTH + t) * INPUTS + i] = x;
          sum += x;
        }
        sums[b * LENGTH + t] = 0.5 * sum;
      }
    }
    Batch batch =
        Batch.of(
            Tensor.of(Shape.of(BATCH, LENGTH, INPUTS), inputs),
            Tensor.of(Shape.of(BATCH, LENGTH, 1), sums));
    return position % 3 == 0 ? batch : batch.continuing();
  }

  /** What must match between two runs. */
  record Fingerprint(
      TinyTraining.ParameterBits parameters,
      OptimizerState optimizer,
      ImmutableMap<String, Tensor> carried,
      long nextRandom,
      long steps,
      long position) {}

  /** This run's fingerprint; draws from the run's generator, so take it last. */
  Fingerprint fingerprint() {
    return new Fingerprint(
        TinyTraining.bits(model),
        trainer.optimizer().exportState(),
        trainer.state().tensors(),
        trainer.random().nextLong(),
        trainer.steps(),
        trainer.position());
  }
}
