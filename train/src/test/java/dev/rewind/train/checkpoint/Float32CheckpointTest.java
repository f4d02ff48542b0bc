package dev.rewind.train.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.io.Safetensors;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Layer;
import dev.rewind.layers.Linear;
import dev.rewind.layers.lstm.LstmCell;
import dev.rewind.layers.lstm.LstmState;
import dev.rewind.layers.seq.ManyToOne;
import dev.rewind.optim.Optimizer;
import dev.rewind.optim.OptimizerState;
import dev.rewind.optim.ParameterGradients;
import dev.rewind.optim.StepReport;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A float32 run's checkpoint holds its parameters, optimizer state and carried state as F32 and
 * restores them bit for bit; a checkpoint is never converted, so one of another dtype than the
 * model is refused, naming the parameter and both dtypes, and nothing changes.
 */
class Float32CheckpointTest {
  private static final int HIDDEN = 3;

  @TempDir Path folder;

  @Test
  void float32ParametersOptimizerStateAndCarriedStateComeBackBitForBit() throws Exception {
    Layer model = model(1, DType.FLOAT32);
    HeldState optimizer = new HeldState(model.parameters());
    optimizer.restoreState(moments(model, DType.FLOAT32, new Random(2)));
    LstmState carried = LstmState.zeros(2, HIDDEN);
    Map<String, Tensor> carriedTensors = new LinkedHashMap<>();
    carried
        .tensors()
        .forEach(
            (name, value) ->
                carriedTensors.put(name, Tensor.full(value.shape(), 0.1).to(DType.FLOAT32)));
    Progress progress = Progress.of(5, 20).withCarried(carriedTensors);
    Path file = folder.resolve("float32.ckpt");

    Checkpoint.save(file, model, optimizer, new Random(3), progress);
    Layer restored = model(4, DType.FLOAT32);
    HeldState restoredOptimizer = new HeldState(restored.parameters());
    Checkpoint.Restored result =
        Checkpoint.load(file, restored, restoredOptimizer, carried.shapes());

    assertEquals(values(model), values(restored));
    assertEquals(DType.FLOAT32, restored.dtype());
    assertEquals(optimizer.exportState(), restoredOptimizer.exportState());
    assertEquals(progress, result.progress());
    for (Map.Entry<String, DType> entry : Safetensors.readHeader(file).dtypes().entrySet()) {
      assertEquals(DType.FLOAT32, entry.getValue(), entry.getKey());
    }
  }

  @Test
  void aFloat32CheckpointIsRefusedByAFloat64ModelNamingTheParameterAndBothDtypes()
      throws Exception {
    Layer saved = model(1, DType.FLOAT32);
    Path file = folder.resolve("float32.ckpt");
    Checkpoint.save(
        file, saved, new HeldState(saved.parameters()), new Random(3), Progress.of(1, 1));
    Layer float64 = model(4, DType.FLOAT64);
    HeldState optimizer = new HeldState(float64.parameters());
    ImmutableMap<String, Tensor> before = values(float64);

    CheckpointException e =
        assertThrows(CheckpointException.class, () -> Checkpoint.load(file, float64, optimizer));

    assertEquals(
        file
            + ": cell.weightIh is float32 in the checkpoint but float64 in the model; a checkpoint"
            + " restores a run exactly and is never converted: convert the model with"
            + " Layer.to(DType) before loading",
        e.getMessage());
    assertEquals(before, values(float64));
    assertEquals(DType.FLOAT64, float64.dtype());
  }

  @Test
  void aFloat64CheckpointIsRefusedByAFloat32Model() throws Exception {
    Layer saved = model(1, DType.FLOAT64);
    Path file = folder.resolve("float64.ckpt");
    Checkpoint.save(
        file, saved, new HeldState(saved.parameters()), new Random(3), Progress.of(1, 1));
    Layer float32 = model(4, DType.FLOAT32);
    ImmutableMap<String, Tensor> before = values(float32);

    CheckpointException e =
        assertThrows(
            CheckpointException.class,
            () -> Checkpoint.load(file, float32, new HeldState(float32.parameters())));

    assertEquals(
        file
            + ": cell.weightIh is float64 in the checkpoint but float32 in the model; a checkpoint"
            + " restores a run exactly and is never converted: convert the model with"
            + " Layer.to(DType) before loading",
        e.getMessage());
    assertEquals(before, values(float32));
  }

  @Test
  void aFloat32CheckpointTakesHalfTheDataOfAFloat64One() throws Exception {
    Layer float32 = model(1, DType.FLOAT32);
    Layer float64 = model(1, DType.FLOAT64);
    HeldState float32Optimizer = new HeldState(float32.parameters());
    float32Optimizer.restoreState(moments(float32, DType.FLOAT32, new Random(2)));
    HeldState float64Optimizer = new HeldState(float64.parameters());
    float64Optimizer.restoreState(moments(float64, DType.FLOAT64, new Random(2)));
    Path float32File = folder.resolve("float32.ckpt");
    Path float64File = folder.resolve("float64.ckpt");

    Checkpoint.save(float32File, float32, float32Optimizer, new Random(3), Progress.of(1, 1));
    Checkpoint.save(float64File, float64, float64Optimizer, new Random(3), Progress.of(1, 1));

    long elements = 3L * float32.parameterCount(); // the weights and two moments of each
    assertEquals(4 * elements, dataBytes(float32File));
    assertEquals(8 * elements, dataBytes(float64File));
  }

  private static long dataBytes(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    return bytes.length - 8 - headerLength;
  }

  /** An LSTM with a linear readout, its weights drawn from {@code seed}, in {@code dtype}. */
  private static Layer model(long seed, DType dtype) {
    Random init = new Random(seed);
    return new ManyToOne<>(LstmCell.random(2, HIDDEN, init), new Linear(HIDDEN, 1, init)).to(dtype);
  }

  /** Adam-like state in {@code dtype}: two moments per parameter, keyed by dotted path. */
  private static OptimizerState moments(Layer model, DType dtype, Random random) {
    ImmutableMap.Builder<String, ImmutableMap<String, Tensor>> slots = ImmutableMap.builder();
    model
        .namedParameters()
        .forEach(
            (name, parameter) -> {
              Shape shape = parameter.shape();
              slots.put(
                  name,
                  ImmutableMap.of(
                      "firstMoment", Tensor.randomNormal(shape, 0, 1, random).to(dtype),
                      "secondMoment", Tensor.randomUniform(shape, 0, 1, random).to(dtype)));
            });
    return new OptimizerState(HeldState.NAME, 7, ImmutableMap.of(), slots.buildOrThrow());
  }

  private static ImmutableMap<String, Tensor> values(Layer model) {
    ImmutableMap.Builder<String, Tensor> values = ImmutableMap.builder();
    model.namedParameters().forEach((name, parameter) -> values.put(name, parameter.value()));
    return values.buildOrThrow();
  }

  /**
   * An optimizer that holds the state it is given, tensors and all, as it is: what the checkpoint
   * writes and restores is then seen without an algorithm's own handling of dtypes in between.
   */
  private static final class HeldState implements Optimizer {
    static final String NAME = "Held";

    private final ImmutableList<Parameter> parameters;
    private OptimizerState state =
        new OptimizerState(NAME, 0, ImmutableMap.of(), ImmutableMap.of());

    HeldState(List<Parameter> parameters) {
      this.parameters = ImmutableList.copyOf(parameters);
    }

    @Override
    public ImmutableList<Parameter> parameters() {
      return parameters;
    }

    @Override
    public long steps() {
      return state.steps();
    }

    @Override
    public StepReport step(ParameterGradients gradients) {
      throw new UnsupportedOperationException("this optimizer only holds a state");
    }

    @Override
    public OptimizerState exportState() {
      return state;
    }

    @Override
    public void restoreState(OptimizerState state) {
      this.state = state;
    }
  }
}
