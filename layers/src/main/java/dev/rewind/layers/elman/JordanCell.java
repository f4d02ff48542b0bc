package dev.rewind.layers.elman;

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
 * Jordan's network, the RNN with top-down recurrence of note 000: the hidden layer reads the input
 * and the network's previous <em>output</em>.
 *
 * <pre>
 *   h(t) = φ(Uᵀ x(t) + Wᵀ y(t−1) + b)          one sequence, as the notes write it
 *   y(t) = σ(Vᵀ h(t) + c)
 *
 *   H(t) = φ(X(t) U + Y(t−1) W + b)            the batch form computed here
 *   Y(t) = σ(H(t) V + c)
 *
 *   U [in, hidden]   W [out, hidden]   b [hidden]   V [hidden, out]   c [out]
 * </pre>
 *
 * <p>The state is {@code Y(t)}, a {@link HiddenState} of width {@code out}, zero before the first
 * step; each step outputs {@code Y(t)}, and {@link #hidden} gives {@code H(t)}. Parameters, in this
 * order: {@code U}, {@code W}, {@code b}, {@code V}, {@code c}.
 */
public final class JordanCell extends Layer implements RecurrentCell<HiddenState> {
  private final Parameter u;
  private final Parameter w;
  private final Parameter b;
  private final Parameter v;
  private final Parameter c;
  private final Activation hidden;
  private final Activation output;
  private final ImmutableList<Parameter> ownWeights;

  public JordanCell(
      Tensor u, Tensor w, Tensor b, Activation hidden, Tensor v, Tensor c, Activation output) {
    Checks.checkMatrix("JordanCell", "U", u);
    Checks.checkMatrix("JordanCell", "V", v);
    int hiddenSize = u.shape().dim(1);
    int outputSize = v.shape().dim(1);
    Checks.checkShape("JordanCell", "b", b, Shape.of(hiddenSize), "U " + u.shape());
    Checks.checkShape("JordanCell", "V", v, Shape.of(hiddenSize, outputSize), "U " + u.shape());
    Checks.checkShape("JordanCell", "c", c, Shape.of(outputSize), "V " + v.shape());
    Checks.checkShape(
        "JordanCell",
        "W",
        w,
        Shape.of(outputSize, hiddenSize),
        "feeding back the output of V " + v.shape() + " into U's " + hiddenSize + " units");
    this.u = parameter("U", u);
    this.w = parameter("W", w);
    this.b = parameter("b", b);
    this.v = parameter("V", v);
    this.c = parameter("c", c);
    this.hidden = checkNotNull(hidden, "JordanCell: the hidden activation is null");
    this.output = checkNotNull(output, "JordanCell: the output activation is null");
    this.ownWeights = parameters();
  }

  /** A cell with every weight and bias uniform in {@code ±1/√hiddenSize}, drawn U, W, b, V, c. */
  public static JordanCell random(
      int inputSize,
      int hiddenSize,
      int outputSize,
      Activation hidden,
      Activation output,
      Random random) {
    Tensor u = Initializers.uniformRecurrent(Shape.of(inputSize, hiddenSize), hiddenSize, random);
    Tensor w = Initializers.uniformRecurrent(Shape.of(outputSize, hiddenSize), hiddenSize, random);
    Tensor b = Initializers.uniformRecurrent(Shape.of(hiddenSize), hiddenSize, random);
    Tensor v = Initializers.uniformRecurrent(Shape.of(hiddenSize, outputSize), hiddenSize, random);
    Tensor c = Initializers.uniformRecurrent(Shape.of(outputSize), hiddenSize, random);
    return new JordanCell(u, w, b, hidden, v, c, output);
  }

  @Override
  public int inputSize() {
    return u.shape().dim(0);
  }

  public int hiddenSize() {
    return u.shape().dim(1);
  }

  public int outputSize() {
    return v.shape().dim(1);
  }

  /** {@code Y(0) = 0}. */
  @Override
  public HiddenState initialState(int batchSize) {
    return HiddenState.zeros(batchSize, outputSize());
  }

  @Override
  public Step<HiddenState> step(Var input, HiddenState previousOutput) {
    return step(input, previousOutput, ownWeights);
  }

  /** The hidden layer at this step, {@code H(t) = φ(X(t) U + Y(t−1) W + b)}. */
  public Var hidden(Var input, HiddenState previousOutput) {
    return hidden(input, previousOutput, ownWeights);
  }

  private Step<HiddenState> step(
      Var input, HiddenState previousOutput, List<? extends Var> weights) {
    Var h = hidden(input, previousOutput, weights);
    Var y = output.apply(h.matmul(weights.get(3)).add(weights.get(4)));
    return new Step<>(y, new HiddenState(y));
  }

  private Var hidden(Var input, HiddenState previousOutput, List<? extends Var> weights) {
    Checks.checkInput("JordanCell", input, "U", inputSize());
    Checks.checkState(
        "JordanCell", "Y(t-1)", previousOutput.h(), input.shape().dim(0), outputSize());
    return hidden.apply(
        input
            .matmul(weights.get(0))
            .add(previousOutput.h().matmul(weights.get(1)))
            .add(weights.get(2)));
  }

  public Parameter u() {
    return u;
  }

  public Parameter w() {
    return w;
  }

  public Parameter b() {
    return b;
  }

  public Parameter v() {
    return v;
  }

  public Parameter c() {
    return c;
  }

  public Activation hiddenActivation() {
    return hidden;
  }

  public Activation outputActivation() {
    return output;
  }

  @Override
  public String toString() {
    return String.format(
        "JordanCell(in %s, hidden %s %s, out %s %s)",
        inputSize(), hiddenSize(), hidden, outputSize(), output);
  }
}
