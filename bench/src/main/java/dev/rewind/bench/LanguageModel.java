package dev.rewind.bench;

import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Activation;
import dev.rewind.layers.Layer;
import dev.rewind.layers.Linear;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.RecurrentState;
import dev.rewind.layers.elman.ElmanCell;
import dev.rewind.layers.gru.GruCell;
import dev.rewind.layers.loss.Losses;
import dev.rewind.layers.loss.Reduction;
import dev.rewind.layers.lstm.LstmCell;
import dev.rewind.optim.Optimizer;
import dev.rewind.optim.ParameterGradients;
import dev.rewind.optim.Sgd;
import dev.rewind.train.BatchShards;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * The character model of W1, W2 and W5, one training step per repetition: a cell over one-hot
 * inputs {@code [batch, steps, 65]} from a seeded stream, a linear layer to 65 logits at every
 * step, softmax cross-entropy against the next character averaged over every step, backward, and an
 * SGD step. Unrolled plain, the readout and the loss over the stacked outputs; or with checkpointed
 * BPTT ({@link Recurrent#checkpointed()}, segments of ⌈√T⌉ steps) and the readout and a summed
 * cross-entropy at each step inside the segments ({@link Recurrent#runWithLoss}), scaled to the
 * same mean: the same loss up to rounding, keeping neither the outputs nor the logits of all steps.
 *
 * <p>With {@code -Drewind.bench.shardRows=R} a plain run is data-parallel ({@link BatchShards}):
 * the batch is cut into shards of R rows, each differentiated on its own tape on one of the
 * kernels' threads, and their gradients summed in a fixed order, the same bits on any number of
 * threads.
 *
 * <p>Each step records on a tape that reuses its arrays ({@link Tape#recordRecycling()}), as the
 * {@code Trainer}'s steps do; {@code -Drewind.bench.tape=plain} records on {@link Tape#record()},
 * to measure what the reuse buys.
 *
 * <p>The model is drawn in float64 from the seeded stream, then converted to the case's dtype with
 * the inputs, so that a float32 model starts from the float64 one's weights, rounded.
 */
final class LanguageModel implements SideBySide.Work {
  private static final boolean PLAIN_TAPE =
      System.getProperty("rewind.bench.tape", "recycling").equals("plain");
  private final int batch;
  private final int steps;
  private final int hidden;
  private final Var inputs;
  private final int[] targets;
  // The targets of each step, for the per-step loss of a checkpointed run: targetsAt[t][b].
  private final int[][] targetsAt;
  private final boolean checkpointed;
  private final Recurrent<?> recurrent;
  private final Linear output;
  private final List<Parameter> parameters;
  private final Optimizer sgd;
  // Data-parallel over rows, or null: the whole batch on one tape.
  private final BatchShards shards;
  // The rows of each shard, made once: shardInputs[s], shardTargets[s].
  private final Var[] shardInputs;
  private final int[][] shardTargets;

  /**
   * The model around one of the library's fused cells: {@code elman}, {@code lstm} or {@code gru}.
   */
  static LanguageModel builtIn(
      String cellName, int hidden, int batch, int steps, boolean checkpointed, DType dtype) {
    return new LanguageModel(
        random -> builtInCell(cellName, hidden, random), hidden, batch, steps, checkpointed, dtype);
  }

  /**
   * The model around the cell that {@code cellFactory} draws from the seeded stream after the data,
   * in {@code dtype}.
   */
  LanguageModel(
      Function<Random, UserCells.Trainable> cellFactory,
      int hidden,
      int batch,
      int steps,
      boolean checkpointed,
      DType dtype) {
    this.batch = batch;
    this.steps = steps;
    this.hidden = hidden;
    this.checkpointed = checkpointed;
    Random random = new Random(42);
    int[][] stream = new int[batch][steps + 1];
    for (int[] row : stream) {
      for (int t = 0; t <= steps; t++) {
        row[t] = random.nextInt(SideBySide.VOCABULARY);
      }
    }
    double[] oneHot = new double[batch * steps * SideBySide.VOCABULARY];
    targets = new int[batch * steps];
    targetsAt = new int[steps][batch];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < steps; t++) {
        oneHot[(b * steps + t) * SideBySide.VOCABULARY + stream[b][t]] = 1.0;
        targets[b * steps + t] = stream[b][t + 1];
        targetsAt[t][b] = stream[b][t + 1];
      }
    }
    Shape shape = Shape.of(batch, steps, SideBySide.VOCABULARY);
    inputs = Var.constant(Tensor.of(shape, dtype, oneHot));
    UserCells.Trainable cell = cellFactory.apply(random);
    output = new Linear(hidden, SideBySide.VOCABULARY, random);
    // Before the optimizer is built: its state keeps the dtype the parameters have then.
    cell.convertTo(dtype);
    output.to(dtype);
    Map<String, Parameter> named = new LinkedHashMap<>();
    cell.parameters().forEach((name, p) -> named.put("cell." + name, p));
    output.namedParameters().forEach((name, p) -> named.put("output." + name, p));
    parameters = new ArrayList<>(named.values());
    sgd = Sgd.builder(named).learningRate(SideBySide.LEARNING_RATE).build();
    recurrent = recurrent(cell.cell(), checkpointed);
    int shardRows = Integer.getInteger("rewind.bench.shardRows", 0);
    shards = shardRows > 0 && !checkpointed ? BatchShards.ofRows(shardRows) : null;
    int count = shards == null ? 0 : shards.count(batch);
    shardInputs = new Var[count];
    shardTargets = new int[count][];
    for (int s = 0; s < count; s++) {
      int from = s * shardRows;
      int to = Math.min(batch, from + shardRows);
      shardInputs[s] = Var.constant(Layout.slice(inputs.value(), 0, from, to));
      shardTargets[s] = Arrays.copyOfRange(targets, from * steps, to * steps);
    }
  }

  @Override
  public Object once() {
    return step(() -> {});
  }

  /**
   * One training step that forces a full collection right after the forward pass, while the tape
   * still holds everything the backward pass will read: the live heap then, in MB. This is what a
   * run keeps for its backward pass (for a checkpointed run, without the intermediates a segment
   * recomputes during the backward pass, which {@link LiveHeap#peak} samples).
   */
  double liveHeapAfterForward() {
    double[] live = new double[1];
    var unused = step(() -> live[0] = LiveHeap.now());
    return live[0];
  }

  private Object step(Runnable afterForward) {
    if (shards != null) {
      ParameterGradients gradients =
          shards.gradient(
              parameters,
              batch,
              (from, to) -> {
                int shard = from / shards.rowsPerShard();
                Var loss = lossOverStackedOutputs(shardInputs[shard], shardTargets[shard]);
                afterForward.run();
                return loss;
              });
      sgd.step(gradients);
      return gradients;
    }
    try (Tape tape = PLAIN_TAPE ? Tape.record() : Tape.recordRecycling()) {
      Var loss = checkpointed ? lossStepByStep() : lossOverStackedOutputs(inputs, targets);
      afterForward.run();
      Gradients gradients = tape.gradient(loss, parameters);
      sgd.step(ParameterGradients.from(gradients));
      return loss;
    }
  }

  private Var lossOverStackedOutputs(Var rows, int[] rowTargets) {
    int rowCount = rows.shape().dim(0);
    Var states = recurrent.run(rows).stacked().reshape(rowCount * steps, hidden);
    return Losses.softmaxCrossEntropy(output.apply(states), rowTargets);
  }

  private Var lossStepByStep() {
    Var sum =
        recurrent
            .runWithLoss(
                inputs,
                null,
                null,
                (t, state) ->
                    Losses.softmaxCrossEntropy(output.apply(state), targetsAt[t], Reduction.SUM))
            .loss();
    return sum.mul(1.0 / (batch * steps));
  }

  private static UserCells.Trainable builtInCell(String cellName, int hidden, Random random) {
    Layer cell =
        switch (cellName) {
          case "elman" -> ElmanCell.random(SideBySide.VOCABULARY, hidden, Activation.TANH, random);
          case "lstm" -> LstmCell.random(SideBySide.VOCABULARY, hidden, random);
          case "gru" -> GruCell.random(SideBySide.VOCABULARY, hidden, random);
          default -> throw new IllegalArgumentException("unknown cell " + cellName);
        };
    return new UserCells.Trainable((RecurrentCell<?>) cell, cell.namedParameters());
  }

  private static <S extends RecurrentState<S>> Recurrent<S> recurrent(
      RecurrentCell<S> cell, boolean checkpointed) {
    Recurrent<S> plain = new Recurrent<>(cell);
    return checkpointed ? plain.checkpointed() : plain;
  }
}
