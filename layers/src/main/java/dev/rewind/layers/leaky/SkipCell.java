package dev.rewind.layers.leaky;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.CellChecks;
import dev.rewind.layers.Layer;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.init.Initializers;
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
  private final Parameter u;
  private final Parameter w;
  private final Parameter wSkip;
  private final Parameter b;

  /**
   * A cell with explicit values: {@code u [in, H]}, {@code w [H, H]}, {@code wSkip [H, H]}, {@code
   * b [H]}, and the delay {@code d ≥ 1} of the skip connection.
   */
  public SkipCell(Tensor u, Tensor w, Tensor wSkip, Tensor b, int delay) {
    checkArgument(delay >= 1, "SkipCell: the delay must be at least 1, was %s", delay);
    checkWeights(u, w, wSkip, b);
    this.delay = delay;
    this.hiddenSize = w.shape().dim(0);
    this.u = parameter("U", u);
    this.w = parameter("W", w);
    this.wSkip = parameter("Wskip", wSkip);
    this.b = parameter("b", b);
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

  private static void checkWeights(Tensor u, Tensor w, Tensor wSkip, Tensor b) {
    int hidden = Checks.checkInputAndRecurrent("SkipCell", u.shape(), w.shape());
    checkArgument(
        wSkip.shape().equals(w.shape()),
        "SkipCell: Wskip has shape %s but %s hidden units need %s",
        wSkip.shape(),
        hidden,
        w.shape());
    checkArgument(
        b.shape().equals(Shape.of(hidden)),
        "SkipCell: b has shape %s but %s hidden units need [%s]",
        b.shape(),
        hidden,
        hidden);
  }
}
