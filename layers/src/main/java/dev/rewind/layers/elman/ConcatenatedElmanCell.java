package dev.rewind.layers.elman;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Activation;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Layer;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.init.Initializers;
import java.util.List;
import java.util.Random;

/**
 * The vanilla RNN cell of note 001, one matrix acting on the input and the previous state stacked
 * together:
 *
 * <pre>
 *   h_t = tanh(W [x_t; h_{t−1}])               as note 001 writes it (column vectors)
 *   H(t) = tanh([X(t), H(t−1)] W)              the batch form computed here
 *
 *   W [in + hidden, hidden]: the rows that read the input above those that read the state
 * </pre>
 *
 * <p>It is the {@link ElmanCell} without a bias: with {@code W} the matrices {@code U} and {@code
 * W} of the Elman cell stacked, {@code [U; W]}, it computes the same function, since {@code [X, H]
 * [U; W] = X U + H W}. The stored matrix is the transpose of note 001's, as every weight of this
 * package is {@code [in, out]}. The state is a {@link HiddenState} and each step outputs {@code
 * H(t)}. One parameter, {@code W}.
 */
public final class ConcatenatedElmanCell extends Layer implements RecurrentCell<HiddenState> {
  private final Parameter w;
  private final Activation hidden;
  private final ImmutableList<Parameter> ownWeights;

  /** The cell of note 001, with tanh. {@code w} is {@code [in + hidden, hidden]}. */
  public ConcatenatedElmanCell(Tensor w) {
    this(w, Activation.TANH);
  }

  /** The cell with another activation in place of tanh. */
  public ConcatenatedElmanCell(Tensor w, Activation hidden) {
    Checks.checkMatrix("ConcatenatedElmanCell", "W", w);
    checkArgument(
        w.shape().dim(0) > w.shape().dim(1),
        "ConcatenatedElmanCell: W has shape %s, but it must be [in + hidden, hidden] with in > 0",
        w.shape());
    this.w = parameter("W", w);
    this.hidden = checkNotNull(hidden, "ConcatenatedElmanCell: the activation is null");
    this.ownWeights = parameters();
  }

  /** A cell with W uniform in {@code ±1/√hiddenSize}, as PyTorch's RNN. */
  public static ConcatenatedElmanCell random(int inputSize, int hiddenSize, Random random) {
    return new ConcatenatedElmanCell(
        Initializers.uniformRecurrent(
            Shape.of(inputSize + hiddenSize, hiddenSize), hiddenSize, random));
  }

  @Override
  public int inputSize() {
    return w.shape().dim(0) - hiddenSize();
  }

  public int hiddenSize() {
    return w.shape().dim(1);
  }

  @Override
  public HiddenState initialState(int batchSize) {
    return HiddenState.zeros(batchSize, hiddenSize());
  }

  @Override
  public Step<HiddenState> step(Var input, HiddenState state) {
    return step(input, state, ownWeights);
  }

  private Step<HiddenState> step(Var input, HiddenState state, List<? extends Var> weights) {
    Checks.checkInput(
        "ConcatenatedElmanCell", input, "W " + w.shape() + " (less its hidden rows)", inputSize());
    Checks.checkState(
        "ConcatenatedElmanCell", "h(t-1)", state.h(), input.shape().dim(0), hiddenSize());
    Var h = hidden.apply(Var.concat(1, input, state.h()).matmul(weights.get(0)));
    return new Step<>(h, new HiddenState(h));
  }

  public Parameter w() {
    return w;
  }

  public Activation hiddenActivation() {
    return hidden;
  }

  @Override
  public String toString() {
    return "ConcatenatedElmanCell(in "
        + inputSize()
        + ", hidden "
        + hiddenSize()
        + " "
        + hidden
        + ")";
  }
}
