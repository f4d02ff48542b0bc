package dev.rewind.layers.leaky;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.CellChecks;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Layer;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.init.Initializers;
import java.util.Random;

/**
 * Leaky units (lecture note 002): hidden units with a linear self-connection of strength α, one α
 * per unit, over an Elman update F.
 *
 * <pre>
 *   F(t) = tanh(x(t) U + h(t−1) W + b)
 *   h(t) = α ⊙ h(t−1) + (1 − α) ⊙ F(t)                 the output and the hidden state
 *   α    = σ(alphaLogit)                               with Leak.LEARNED
 * </pre>
 *
 * <p>α = 0 is the plain Elman net; a unit with α near 1 changes slowly and carries its signal, and
 * its gradient, further back in time (the note samples α from (0.02, 0.2)). With {@link
 * Leak#FIXED}, α is a constant. With {@link Leak#LEARNED} it is trained through the parameter
 * {@code alphaLogit}, its logit: the sigmoid keeps every α inside (0, 1) whatever step an optimizer
 * takes, so the self-connection can neither explode (α > 1) nor change sign. (In float64 α rounds
 * to exactly 1 only once a logit passes about 37.)
 *
 * <p>Parameters, in order: {@code U [in, H]}, {@code W [H, H]}, {@code b [H]} and, with {@link
 * Leak#LEARNED}, {@code alphaLogit [H]}.
 */
public final class LeakyCell extends Layer implements RecurrentCell<HiddenState> {

  /** Whether α is a constant or trained. */
  public enum Leak {
    /** α is a constant chosen by hand, each in [0, 1]. */
    FIXED,
    /** α = σ(alphaLogit) is trained, each in (0, 1). */
    LEARNED
  }

  private final Leak leak;
  private final int hiddenSize;
  private final Parameter u;
  private final Parameter w;
  private final Parameter b;
  // NOTE: a constant with Leak.FIXED, the parameter alphaLogit with Leak.LEARNED.
  private final Var alphaOrLogit;

  /**
   * A cell with explicit values: {@code alpha [H]} holds each unit's α (with {@link Leak#LEARNED},
   * its starting value), {@code u [in, H]}, {@code w [H, H]}, {@code b [H]}.
   */
  public LeakyCell(Leak leak, Tensor alpha, Tensor u, Tensor w, Tensor b) {
    this.leak = leak;
    checkAlpha(leak, alpha);
    checkWeights(u, w, b, alpha);
    this.hiddenSize = w.shape().dim(0);
    this.u = parameter("U", u);
    this.w = parameter("W", w);
    this.b = parameter("b", b);
    this.alphaOrLogit =
        leak == Leak.LEARNED ? parameter("alphaLogit", logit(alpha)) : Var.constant(alpha);
  }

  /**
   * A cell with every α drawn uniformly from (0.02, 0.2), as in note 002, and U, W, b uniform in
   * ±1/√hidden.
   */
  public static LeakyCell random(int inputSize, int hiddenSize, Leak leak, Random random) {
    checkArgument(
        inputSize > 0 && hiddenSize > 0,
        "LeakyCell: input size %s and hidden size %s must be positive",
        inputSize,
        hiddenSize);
    Tensor alpha = Tensor.randomUniform(Shape.of(hiddenSize), 0.02, 0.2, random);
    return new LeakyCell(
        leak,
        alpha,
        Initializers.uniformRecurrent(Shape.of(inputSize, hiddenSize), hiddenSize, random),
        Initializers.uniformRecurrent(Shape.of(hiddenSize, hiddenSize), hiddenSize, random),
        Initializers.uniformRecurrent(Shape.of(hiddenSize), hiddenSize, random));
  }

  public Leak leak() {
    return leak;
  }

  /** Each unit's α, {@code [H]}. */
  public Tensor alpha() {
    return alphaVar().value();
  }

  public int hiddenSize() {
    return hiddenSize;
  }

  @Override
  public int inputSize() {
    return u.shape().dim(0);
  }

  @Override
  public HiddenState initialState(int batchSize) {
    return HiddenState.zeros(batchSize, hiddenSize);
  }

  @Override
  public Step<HiddenState> step(Var input, HiddenState state) {
    checkStep(input, state);
    Var h = state.h();
    Var update = input.matmul(u).add(h.matmul(w)).add(b).tanh();
    Var alpha = alphaVar();
    Var next = alpha.mul(h).add(alpha.neg().add(1).mul(update));
    return new Step<>(next, new HiddenState(next));
  }

  private Var alphaVar() {
    return leak == Leak.LEARNED ? alphaOrLogit.sigmoid() : alphaOrLogit;
  }

  private void checkStep(Var input, HiddenState state) {
    Shape x = input.shape();
    CellChecks.checkInput("LeakyCell", x, "U", inputSize());
    CellChecks.checkState("LeakyCell", "h", state.h().shape(), x, hiddenSize);
  }

  private static void checkAlpha(Leak leak, Tensor alpha) {
    boolean learned = leak == Leak.LEARNED;
    for (int i = 0; i < alpha.size(); i++) {
      double a = alpha.getFlat(i);
      checkArgument(
          learned ? a > 0 && a < 1 : a >= 0 && a <= 1,
          "LeakyCell: alpha[%s] = %s must lie in %s",
          i,
          a,
          learned ? "(0, 1) to be learned through its logit" : "[0, 1]");
    }
  }

  /** {@code log(α / (1 − α))}, the inverse of the sigmoid. */
  private static Tensor logit(Tensor alpha) {
    return Pointwise.map(alpha, a -> Math.log(a / (1 - a)));
  }

  private static void checkWeights(Tensor u, Tensor w, Tensor b, Tensor alpha) {
    int hidden = Checks.checkInputAndRecurrent("LeakyCell", u.shape(), w.shape());
    Shape expected = Shape.of(hidden);
    checkArgument(
        b.shape().equals(expected),
        "LeakyCell: b has shape %s but %s hidden units need %s",
        b.shape(),
        hidden,
        expected);
    checkArgument(
        alpha.shape().equals(expected),
        "LeakyCell: alpha has shape %s but %s hidden units need %s",
        alpha.shape(),
        hidden,
        expected);
  }
}
