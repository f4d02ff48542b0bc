package dev.rewind.examples.text;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Var;
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
import dev.rewind.layers.lstm.LstmCell;
import dev.rewind.layers.sample.TokenModel;
import java.util.Locale;
import java.util.Random;

/**
 * A character language model: note 000's "hello" network, with any cell. It reads one character per
 * step and gives, at every step, a score (logit) for each symbol of the vocabulary being the next
 * character:
 *
 * <pre>
 *   x(t)        = onehot(c(t))   or   E[c(t)]          one-hot input, or a row of an embedding
 *   h(t), s(t)  = cell(x(t), s(t−1))                   LSTM, GRU or Elman; s(0) = 0
 *   logits(t)   = h(t) V + c                           a Linear readout over the vocabulary
 *   P(c(t+1) = k | c(1) … c(t)) = softmax(logits(t))[k]
 * </pre>
 *
 * As the notes say, multiplying a one-hot vector by a matrix just picks a row of it: an embedding
 * is the same network with that matrix kept as a separate table, looked up instead of multiplied.
 *
 * <p>As a {@link TokenModel} it generates text: {@code vocabulary.decode(model.generate(
 * vocabulary.encode("h"), 4, Sampler.temperature(1), random))}.
 *
 * <p>Parameters, in order: {@code embedding} {@code [vocabulary, width]} (not with one-hot input),
 * the cell's ({@code cell.weightIh}, … or {@code cell.U}, {@code cell.W}, {@code cell.b}), {@code
 * readout.weight}, {@code readout.bias}.
 *
 * @param <S> the cell's state
 */
public final class CharModel<S extends RecurrentState<S>> extends Layer implements TokenModel<S> {

  /**
   * The shape of a model.
   *
   * @param cell the recurrent cell
   * @param vocabularySize the number of symbols: one-hot width and number of logits
   * @param embeddingSize the width of an embedding row, or 0 for one-hot inputs
   * @param hiddenSize the cell's hidden units
   */
  public record Config(CellType cell, int vocabularySize, int embeddingSize, int hiddenSize) {

    public Config {
      checkArgument(cell != null, "CharModel: the cell type is null");
      checkArgument(
          vocabularySize >= 1, "CharModel: vocabulary size %s must be positive", vocabularySize);
      checkArgument(
          embeddingSize >= 0,
          "CharModel: embedding size %s must be 0 (one-hot inputs) or positive",
          embeddingSize);
      checkArgument(hiddenSize >= 1, "CharModel: hidden size %s must be positive", hiddenSize);
    }

    /**
     * The number of weights a model of this shape has, counted in long before any is allocated: a
     * product of two large sizes overflows an int.
     */
    public long parameterCount() {
      long symbols = vocabularySize;
      long hidden = hiddenSize;
      long in = embeddingSize == 0 ? symbols : embeddingSize;
      long embeddingTable = embeddingSize == 0 ? 0 : symbols * in;
      long cellWeights =
          switch (cell) {
            case LSTM -> 4 * hidden * (in + hidden + 2);
            case GRU -> 3 * hidden * (in + hidden + 2);
            case ELMAN -> hidden * (in + hidden + 1);
          };
      return embeddingTable + cellWeights + hidden * symbols + symbols;
    }

    /** The width of the cell's input: the embedding's, or the vocabulary's for one-hot inputs. */
    public int inputSize() {
      return embeddingSize == 0 ? vocabularySize : embeddingSize;
    }

    /** {@code lstm, 128 hidden units, embedding 32, 61 symbols}. */
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%s, %d hidden units, %s, %d symbols",
          cell.label(),
          hiddenSize,
          embeddingSize == 0 ? "one-hot input" : "embedding " + embeddingSize,
          vocabularySize);
    }
  }

  private final Config config;
  // NOTE: null for one-hot inputs. The table is this layer's own parameter, named "embedding",
  // rather than a child Embedding (whose path would be "embedding.weight"): saved models and
  // checkpoints name it "embedding", and CharCheckpoint reads the model's shape from these names.
  private final Parameter embedding;
  private final RecurrentCell<S> cell;
  private final Recurrent<S> recurrent;
  private final Linear readout;

  private <C extends Layer & RecurrentCell<S>> CharModel(
      Config config, Tensor embedding, C cell, Linear readout) {
    this.config = config;
    this.embedding = embedding == null ? null : parameter("embedding", embedding);
    this.cell = child("cell", cell);
    this.recurrent = new Recurrent<>(cell);
    this.readout = child("readout", readout);
  }

  /**
   * A model with random weights, drawn from {@code random} in parameter order: the embedding from a
   * standard normal, the cell's and the readout's uniform in ±1/√fan-in (PyTorch's defaults). An
   * LSTM's forget-gate bias starts at 1, so that its memory keeps what it holds early in training.
   */
  public static CharModel<?> create(Config config, Random random) {
    Tensor embedding =
        config.embeddingSize() == 0
            ? null
            : Tensor.randomNormal(
                Shape.of(config.vocabularySize(), config.embeddingSize()), 0, 1, random);
    int in = config.inputSize();
    int hidden = config.hiddenSize();
    return switch (config.cell()) {
      case LSTM -> {
        LstmCell lstm = LstmCell.random(in, hidden, random);
        lstm.setForgetBias(1);
        yield new CharModel<>(config, embedding, lstm, readout(config, random));
      }
      case GRU ->
          new CharModel<>(
              config, embedding, GruCell.random(in, hidden, random), readout(config, random));
      case ELMAN ->
          new CharModel<>(
              config,
              embedding,
              ElmanCell.random(in, hidden, Activation.TANH, random),
              readout(config, random));
    };
  }

  private static Linear readout(Config config, Random random) {
    return new Linear(config.hiddenSize(), config.vocabularySize(), random);
  }

  public Config config() {
    return config;
  }

  /** The state before the first character: zeros, for {@code batch} streams. */
  @Override
  public S initialState(int batch) {
    return cell.initialState(batch, dtype());
  }

  /**
   * Reads {@code tokens} ({@code [batch][time]} symbol indices) from {@code initial} (zeros when
   * null) and returns the logits {@code [batch, time, vocabulary]} for each next character, and the
   * state after the last step.
   */
  public Output<S> forward(int[][] tokens, S initial) {
    Recurrent.Unrolled<S> unrolled = recurrent.run(inputs(tokens), initial, null);
    return new Output<>(readout.apply(unrolled.stacked()), unrolled.finalState());
  }

  /**
   * Reads one character per stream ({@code tokens[b]}) and returns the logits {@code [batch,
   * vocabulary]} for the next one, and the new state: what {@link #generate} does at every step.
   */
  @Override
  public Step<S> step(int[] tokens, S state) {
    checkTokens(tokens);
    Var x = embedding == null ? oneHot(tokens) : embedding.gather(tokens);
    RecurrentCell.Step<S> step = cell.step(x, state);
    return new Step<>(readout.apply(step.output()), step.state());
  }

  private Var inputs(int[][] tokens) {
    checkArgument(tokens.length > 0, "CharModel: no sequences to read");
    int steps = tokens[0].length;
    int[] flat = new int[tokens.length * steps];
    for (int b = 0; b < tokens.length; b++) {
      checkArgument(
          tokens[b].length == steps,
          "CharModel: sequence %s has %s characters but sequence 0 has %s",
          b,
          tokens[b].length,
          steps);
      System.arraycopy(tokens[b], 0, flat, b * steps, steps);
    }
    checkTokens(flat);
    Var rows = embedding == null ? oneHot(flat) : embedding.gather(flat);
    return rows.reshape(tokens.length, steps, config.inputSize());
  }

  /** One-hot rows in the model's dtype: a model converted to float32 reads float32 inputs. */
  private Var oneHot(int[] tokens) {
    return Var.constant(Layout.oneHot(tokens, config.vocabularySize()).to(dtype()));
  }

  private void checkTokens(int[] tokens) {
    for (int token : tokens) {
      checkArgument(
          token >= 0 && token < config.vocabularySize(),
          "CharModel: symbol index %s is outside a vocabulary of %s",
          token,
          config.vocabularySize());
    }
  }

  /** {@code CharModel(lstm, 128 hidden units, embedding 32, 61 symbols)}, also in checkpoints. */
  @Override
  public String name() {
    return "CharModel(" + config + ")";
  }

  /**
   * What {@link #forward} returns.
   *
   * @param logits {@code [batch, time, vocabulary]}
   * @param state the state after the last character read
   */
  public record Output<S>(Var logits, S state) {}
}
