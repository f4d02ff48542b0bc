package dev.rewind.layers.leaky;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.CellChecks;
import dev.rewind.layers.Layer;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.init.Initializers;
import java.util.List;
import java.util.Random;

/**
 * An Elman cell with a skip connection through time (lecture note 002): besides h(t−1), each step
 * reads the hidden state of d steps back, so gradients reach the distant past in t/d products of
 * Jacobians instead of t.
 *
 * <pre>
 *   h(t) = tanh(x(t) U + h(t−1) W + h(t−d) Wskip + b)          the output
 * </pre>
 *
 * <p>Before the first step every h is zero. The state ({@link SkipState}) keeps the last d hidden
 * vectors. Parameters, in order: {@code U [in, H]}, {@code W [H, H]}, {@code Wskip [H, H]}, {@code
 * b [H]}.
 */
public final class SkipCell extends Layer implements RecurrentCell<SkipState> {
  private final int delay;
  private final int hiddenSize;
  private final Var u;
  private final Var w;
  private final Var wSkip;
  private final Var b;

  /**
   * A cell with explicit values: {@code u [in, H]}, {@code w [H, H]}, {@code wSkip [H, H]}, {@code
   * b [H]}, and the delay {@code d ≥ 1} of the skip connection.
   */
  public SkipCell(Tensor u, Tensor w, Tensor wSkip, Tensor b, int delay) {
    this(
        List.of(Var.constant(u), Var.constant(w), Var.constant(wSkip), Var.constant(b)),
        delay,
        true);
  }

  /**
   * With {@code ownsParameters}, registers a parameter holding each value; without, computes with
   * the values themselves (see {@link #withWeights}).
   */
  private SkipCell(List<? extends Var> weights, int delay, boolean ownsParameters) {
    checkArgument(delay >= 1, "SkipCell: the delay must be at least 1, was %s", delay);
    checkWeights(weights);
    this.delay = delay;
    this.hiddenSize = weights.get(1).shape().dim(0);
    this.u = ownsParameters ? parameter("U", weights.get(0).value()) : weights.get(0);
    this.w = ownsParameters ? parameter("W", weights.get(1).value()) : weights.get(1);
    this.wSkip = ownsParameters ? parameter("Wskip", weights.get(2).value()) : weights.get(2);
    this.b = ownsParameters ? parameter("b", weights.get(3).value()) : weights.get(3);
  }

  /** A cell with every weight uniform in ±1/√hidden. */
  public static SkipCell random(int inputSize, int hiddenSize, int delay, Random random) {
    checkArgument(
        inputSize > 0 && hiddenSize > 0,
        "SkipCell: input size %s and hidden size %s must be positive",
        inputSize,
        hiddenSize);
    return new SkipCell(
        Initializers.uniformRecurrent(Shape.of(inputSize, hiddenSize), hiddenSize, random),
        Initializers.uniformRecurrent(Shape.of(hiddenSize, hiddenSize), hiddenSize, random),
        Initializers.uniformRecurrent(Shape.of(hiddenSize, hiddenSize), hiddenSize, random),
        Initializers.uniformRecurrent(Shape.of(hiddenSize), hiddenSize, random),
        delay);
  }

  /**
   * A cell with the same delay that computes with {@code weights} — {@code U}, {@code W}, {@code
   * Wskip}, {@code b}, of this cell's shapes — instead of its parameters, and owns no parameters:
   * what {@link dev.rewind.autodiff.check.GradCheck} needs to differentiate with respect to the
   * weights.
   */
  public SkipCell withWeights(List<? extends Var> weights) {
    checkArgument(
        weights.size() == 4,
        "SkipCell: withWeights needs 4 values (U, W, Wskip, b) but got %s",
        weights.size());
    return new SkipCell(weights, delay, false);
  }

  public int delay() {
    return delay;
  }

  public int hiddenSize() {
    return hiddenSize;
  }

  @Override
  public int inputSize() {
    return u.shape().dim(0);
  }

  @Override
  public SkipState initialState(int batchSize) {
    return SkipState.zeros(delay, batchSize, hiddenSize);
  }

  @Override
  public Step<SkipState> step(Var input, SkipState state) {
    checkStep(input, state);
    Var previous = state.h();
    Var distant = state.recent().get(delay - 1);
    Var h = input.matmul(u).add(previous.matmul(w)).add(distant.matmul(wSkip)).add(b).tanh();
    return new Step<>(h, state.push(h));
  }

  private void checkStep(Var input, SkipState state) {
    Shape x = input.shape();
    CellChecks.checkInput("SkipCell", x, "U", inputSize());
    checkArgument(
        state.delay() == delay,
        "SkipCell: the state holds %s hidden vectors but a delay of %s needs %s",
        state.delay(),
        delay,
        delay);
    for (int k = 0; k < delay; k++) {
      Shape actual = state.recent().get(k).shape();
      CellChecks.checkState("SkipCell", "h(t−" + (k + 1) + ")", actual, x, hiddenSize);
    }
  }

  private static void checkWeights(List<? extends Var> weights) {
    Shape w = weights.get(1).shape();
    int hidden = Checks.checkInputAndRecurrent("SkipCell", weights.get(0).shape(), w);
    checkArgument(
        weights.get(2).shape().equals(w),
        "SkipCell: Wskip has shape %s but %s hidden units need %s",
        weights.get(2).shape(),
        hidden,
        w);
    checkArgument(
        weights.get(3).shape().equals(Shape.of(hidden)),
        "SkipCell: b has shape %s but %s hidden units need [%s]",
        weights.get(3).shape(),
        hidden,
        hidden);
  }
}
