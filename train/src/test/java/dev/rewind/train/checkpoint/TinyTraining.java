package dev.rewind.train.checkpoint;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Layer;
import dev.rewind.layers.Linear;
import dev.rewind.layers.loss.Losses;
import dev.rewind.layers.lstm.LstmCell;
import dev.rewind.layers.lstm.LstmState;
import dev.rewind.layers.seq.ManyToOne;
import dev.rewind.optim.Adam;
import dev.rewind.optim.Optimizer;
import dev.rewind.optim.Rprop;
import dev.rewind.optim.RpropVariant;
import dev.rewind.optim.Sgd;
import dev.rewind.optim.clip.ClipByGlobalNorm;
import dev.rewind.optim.clip.ClippedOptimizer;
import dev.rewind.optim.clip.NonFinitePolicy;
import dev.rewind.optim.schedule.CosineAnnealing;
import dev.rewind.train.AnomalyGuard;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

/**
 * A small training run whose every number depends on everything a checkpoint holds: an LSTM with a
 * linear readout on the adding problem, clipped by global norm, with batches drawn from the run's
 * random generator, a sequence length that follows the data position, and the LSTM's final state
 * carried into the next batch (reset every third batch), as truncated BPTT over a stream does.
 */
public final class TinyTraining {
  /** The optimizers the exact-resume guarantee covers. */
  public enum Kind {
    SGD_MOMENTUM,
    IRPROP_PLUS,
    ADAM
  }

  public static final int INPUTS = 2;
  public static final int HIDDEN = 6;
  public static final int BATCH = 4;
  public static final long DATA_SEED = 1_000_003L;

  public final Kind kind;
  public final ManyToOne<LstmState> model;
  public final Optimizer optimizer;
  public final AnomalyGuard guard;
  public final int hidden;
  public Random random;
  public long step;
  public long position;
  public LstmState carried;

  /** A fresh run: weights from {@code seed}, data from a generator seeded with DATA_SEED. */
  public TinyTraining(Kind kind, long seed) {
    this(kind, seed, HIDDEN);
  }

  public TinyTraining(Kind kind, long seed, int hidden) {
    Random init = new Random(seed);
    this.kind = kind;
    this.hidden = hidden;
    this.carried = LstmState.zeros(BATCH, hidden);
    this.model =
        new ManyToOne<>(LstmCell.random(INPUTS, hidden, init), new Linear(hidden, 1, init));
    this.optimizer =
        new ClippedOptimizer(
            optimizer(kind, model.parameters()),
            ClipByGlobalNorm.l2(0.25),
            NonFinitePolicy.SKIP_STEP);
    this.guard = new AnomalyGuard(model, optimizer);
    this.random = new Random(DATA_SEED);
  }

  public static Optimizer optimizer(Kind kind, List<Parameter> parameters) {
    return switch (kind) {
      case SGD_MOMENTUM -> Sgd.builder(parameters).learningRate(0.05).momentum(0.9).build();
      case IRPROP_PLUS -> Rprop.builder(RpropVariant.IRPROP_PLUS, parameters).build();
      case ADAM ->
          Adam.builder(parameters).learningRate(new CosineAnnealing(1e-2, 1e-4, 50)).build();
    };
  }

  public void train(int steps) {
    for (int i = 0; i < steps; i++) {
      AnomalyGuard.Outcome unused = step(guard, (batch, loss) -> loss);
    }
  }

  /**
   * One step through {@code guard}: the next batch, run from the carried state, with the loss that
   * {@code objective} makes of the batch and the mean squared error; then the state is carried on.
   */
  public AnomalyGuard.Outcome step(AnomalyGuard guard, BiFunction<Batch, Var, Var> objective) {
    Batch batch = nextBatch();
    LstmState start = (position / BATCH) % 3 == 0 ? null : carried;
    AtomicReference<LstmState> end = new AtomicReference<>();
    AnomalyGuard.Outcome outcome =
        guard.step(
            step,
            () -> {
              ManyToOne.Result<LstmState> result =
                  model.run(Var.constant(batch.inputs()), start, null);
              // Detached inside the step, so that a guard recording on recycling tapes keeps it.
              end.set(result.finalState().detach());
              Var loss = Losses.meanSquaredError(result.output(), Var.constant(batch.targets()));
              return objective.apply(batch, loss);
            });
    carried = end.get();
    step++;
    position += batch.size();
    return outcome;
  }

  /** The next batch: drawn from {@link #random}, its length set by {@link #position}. */
  public Batch nextBatch() {
    int length = 3 + (int) Math.floorMod(position / BATCH, 4L);
    return Batch.addingProblem(BATCH, length, random);
  }

  /**
   * A batch of the adding problem: {@code inputs [batch, length, 2]} hold a value and a marker per
   * step, {@code targets [batch, 1]} the sum of the two marked values.
   */
  public record Batch(Tensor inputs, Tensor targets) {
    static Batch addingProblem(int sequences, int length, Random random) {
      double[] inputs = new double[sequences * length * 2];
      double[] sums = new double[sequences];
      int half = length / 2;
      for (int b = 0; b < sequences; b++) {
        int row = b * length * 2;
        for (int t = 0; t < length; t++) {
          inputs[row + 2 * t] = random.nextDouble();
        }
        int first = random.nextInt(half);
        int second = half + random.nextInt(length - half);
        inputs[row + 2 * first + 1] = 1.0;
        inputs[row + 2 * second + 1] = 1.0;
        sums[b] = inputs[row + 2 * first] + inputs[row + 2 * second];
      }
      return new Batch(
          Tensor.of(Shape.of(sequences, length, 2), inputs),
          Tensor.of(Shape.of(sequences, 1), sums));
    }

    public int size() {
      return inputs.shape().dim(0);
    }
  }

  /** The loss of {@code batch} from the zero state, outside any step. */
  public Var loss(Batch batch) {
    Var prediction = model.run(Var.constant(batch.inputs())).output();
    return Losses.meanSquaredError(prediction, Var.constant(batch.targets()));
  }

  public Progress progress() {
    return Progress.of(step, position).withCarried(carried.tensors());
  }

  public void save(Path file) throws IOException {
    Checkpoint.save(file, model, optimizer, random, progress());
  }

  @CanIgnoreReturnValue
  public Checkpoint.Restored restore(Path file) throws IOException {
    return resumeFrom(Checkpoint.load(file, model, optimizer, carriedShapes()));
  }

  /** Restores the newest checkpoint of {@code checkpoints} that can be restored. */
  @CanIgnoreReturnValue
  public Checkpoint.Restored restoreLatest(CheckpointFolder checkpoints) throws IOException {
    return resumeFrom(
        checkpoints
            .restoreLatest(model, optimizer, carriedShapes(), RestoreCheck.ACCEPT_ALL)
            .orElseThrow());
  }

  public ImmutableMap<String, dev.rewind.autodiff.tensor.Shape> carriedShapes() {
    return LstmState.zeros(BATCH, hidden).shapes();
  }

  private Checkpoint.Restored resumeFrom(Checkpoint.Restored restored) {
    random = restored.random();
    step = restored.progress().step();
    position = restored.progress().dataPosition();
    carried = LstmState.zeros(BATCH, hidden).withTensors(restored.progress().carried());
    return restored;
  }

  /** Every parameter's IEEE 754 bits, by dotted name. */
  public static ParameterBits bits(Layer layer) {
    ImmutableMap.Builder<String, ImmutableList<Long>> bits = ImmutableMap.builder();
    for (Map.Entry<String, Parameter> entry : layer.namedParameters().entrySet()) {
      ImmutableList.Builder<Long> values = ImmutableList.builder();
      for (int i = 0; i < entry.getValue().value().size(); i++) {
        values.add(Double.doubleToRawLongBits(entry.getValue().value().getFlat(i)));
      }
      bits.put(entry.getKey(), values.build());
    }
    return new ParameterBits(bits.buildOrThrow());
  }

  /** Parameters' bits; printed as a digest, so that a failed comparison stays readable. */
  public record ParameterBits(ImmutableMap<String, ImmutableList<Long>> values) {
    @Override
    public String toString() {
      return "bits of " + values.keySet() + " #" + Integer.toHexString(values.hashCode());
    }
  }

  /** What must match between two runs: weights, optimizer state, generator, step, position. */
  public record Fingerprint(
      ParameterBits parameters,
      dev.rewind.optim.OptimizerState optimizer,
      ImmutableMap<String, dev.rewind.autodiff.tensor.Tensor> carried,
      long nextRandom,
      long step,
      long position) {
    @Override
    public String toString() {
      return String.format(
          "Fingerprint[%s, %s of %s steps #%s, carried #%s, next random %s, step %s, position %s]",
          parameters,
          optimizer.optimizer(),
          optimizer.steps(),
          Integer.toHexString(optimizer.hashCode()),
          Integer.toHexString(carried.hashCode()),
          nextRandom,
          step,
          position);
    }
  }

  /** This run's fingerprint; draws from a copy of the generator, so the run is not disturbed. */
  public Fingerprint fingerprint() {
    Random copy = RandomState.decode(RandomState.encode(random));
    return new Fingerprint(
        bits(model), optimizer.exportState(), carried.tensors(), copy.nextLong(), step, position);
  }
}
