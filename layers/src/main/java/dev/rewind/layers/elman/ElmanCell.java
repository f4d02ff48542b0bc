package dev.rewind.layers.elman;

import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import com.google.common.collect.ImmutableList;
import dev.rewind.autodiff.ops.rnn.FusedSteps;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Activation;
import dev.rewind.layers.CellChecks;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Layer;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.init.Initializers;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Elman's network, the RNN with hidden recurrence of note 000: the hidden layer reads the input and
 * its own previous activation, and an optional output layer reads the hidden layer.
 *
 * <pre>
 *   h(t) = φ(Uᵀ x(t) + Wᵀ h(t−1) + b)          one sequence, as the notes write it
 *   y(t) = σ(Vᵀ h(t) + c)
 *
 *   H(t) = φ(X(t) U + H(t−1) W + b)            the batch form computed here: one row per sequence
 *   Y(t) = σ(H(t) V + c)
 *
 *   U [in, hidden]   W [hidden, hidden]   b [hidden]   V [hidden, out]   c [out]
 * </pre>
 *
 * <p>The state is {@code H(t)}, a {@link HiddenState}, zero before the first step. A step outputs
 * {@code Y(t)} when the cell has an output layer and {@code H(t)} when it has not. Parameters, in
 * this order: {@code U}, {@code W}, {@code b}, then {@code V}, {@code c}. PyTorch's {@code nn.RNN}
 * is the cell without an output layer, with {@code weight_ih = Uᵀ}, {@code weight_hh = Wᵀ} and
 * {@code b = bias_ih + bias_hh}.
 *
 * <pre>{@code
 * ElmanCell cell = new ElmanCell(u, w, b, Activation.TANH).withOutput(v, c, Activation.SIGMOID);
 * Recurrent.Unrolled<HiddenState> run = new Recurrent<>(cell).run(inputs); // [batch, time, in]
 * }</pre>
 */
public final class ElmanCell extends Layer implements RecurrentCell<HiddenState> {
  private final Parameter u;
  private final Parameter w;
  private final Parameter b;
  private final Activation hidden;
  // Both null when the cell has no output layer.
  private final Parameter v;
  private final Parameter c;
  private final Activation output;
  private final ImmutableList<Parameter> ownWeights;

  /** A cell without an output layer: each step outputs {@code H(t)}. */
  public ElmanCell(Tensor u, Tensor w, Tensor b, Activation hidden) {
    this(u, w, b, hidden, Optional.empty());
  }

  /** A cell with an output layer {@code Y(t) = σ(H(t) V + c)}: each step outputs {@code Y(t)}. */
  public ElmanCell(
      Tensor u, Tensor w, Tensor b, Activation hidden, Tensor v, Tensor c, Activation output) {
    this(u, w, b, hidden, Optional.of(new OutputValues(v, c, output)));
  }

  private ElmanCell(
      Tensor u, Tensor w, Tensor b, Activation hidden, Optional<OutputValues> outputLayer) {
    Checks.checkMatrix("ElmanCell", "U", u);
    int hiddenSize = u.shape().dim(1);
    Checks.checkShape("ElmanCell", "W", w, Shape.of(hiddenSize, hiddenSize), "U " + u.shape());
    Checks.checkShape("ElmanCell", "b", b, Shape.of(hiddenSize), "U " + u.shape());
    this.u = parameter("U", u);
    this.w = parameter("W", w);
    this.b = parameter("b", b);
    this.hidden = checkNotNull(hidden, "ElmanCell: the hidden activation is null");
    if (outputLayer.isPresent()) {
      Tensor v = outputLayer.get().v();
      Tensor c = outputLayer.get().c();
      Checks.checkMatrix("ElmanCell", "V", v);
      Checks.checkShape(
          "ElmanCell", "V", v, Shape.of(hiddenSize, v.shape().dim(1)), "U " + u.shape());
      Checks.checkShape("ElmanCell", "c", c, Shape.of(v.shape().dim(1)), "V " + v.shape());
      this.v = parameter("V", v);
      this.c = parameter("c", c);
      this.output = outputLayer.get().output();
    } else {
      this.v = null;
      this.c = null;
      this.output = null;
    }
    this.ownWeights = parameters();
  }

  private record OutputValues(Tensor v, Tensor c, Activation output) {
    OutputValues {
      checkNotNull(v, "ElmanCell: V is null");
      checkNotNull(c, "ElmanCell: c is null");
      checkNotNull(output, "ElmanCell: the output activation is null");
    }
  }

  /**
   * A cell without an output layer, its weights and bias uniform in {@code ±1/√hiddenSize}
   * (PyTorch's default), drawn in the order U, W, b.
   */
  public static ElmanCell random(int inputSize, int hiddenSize, Activation hidden, Random random) {
    return new ElmanCell(
        Initializers.uniformRecurrent(Shape.of(inputSize, hiddenSize), hiddenSize, random),
        Initializers.uniformRecurrent(Shape.of(hiddenSize, hiddenSize), hiddenSize, random),
        Initializers.uniformRecurrent(Shape.of(hiddenSize), hiddenSize, random),
        hidden);
  }

  /**
   * A cell with an output layer, every weight and bias uniform in {@code ±1/√hiddenSize}, drawn in
   * the order U, W, b, V, c.
   */
  public static ElmanCell random(
      int inputSize,
      int hiddenSize,
      int outputSize,
      Activation hidden,
      Activation output,
      Random random) {
    ElmanCell hiddenLayer = random(inputSize, hiddenSize, hidden, random);
    return hiddenLayer.withOutput(
        Initializers.uniformRecurrent(Shape.of(hiddenSize, outputSize), hiddenSize, random),
        Initializers.uniformRecurrent(Shape.of(outputSize), hiddenSize, random),
        output);
  }

  /**
   * A new cell with this cell's current U, W, b and φ, and the output layer {@code Y(t) = σ(H(t) V
   * + c)}; the new cell has parameters of its own, and this one is unchanged.
   */
  public ElmanCell withOutput(Tensor v, Tensor c, Activation output) {
    return new ElmanCell(u.value(), w.value(), b.value(), hidden, v, c, output);
  }

  @Override
  public int inputSize() {
    return u.shape().dim(0);
  }

  public int hiddenSize() {
    return u.shape().dim(1);
  }

  /** The width of a step's output: V's columns, or the hidden size without an output layer. */
  public int outputSize() {
    return hasOutputLayer() ? v.shape().dim(1) : hiddenSize();
  }

  public boolean hasOutputLayer() {
    return v != null;
  }

  @Override
  public HiddenState initialState(int batchSize) {
    return HiddenState.zeros(batchSize, hiddenSize());
  }

  @Override
  public HiddenState initialState(int batchSize, DType dtype) {
    return HiddenState.zeros(batchSize, hiddenSize(), dtype);
  }

  @Override
  public Step<HiddenState> step(Var input, HiddenState state) {
    return step(input, state, ownWeights);
  }

  private Step<HiddenState> step(Var input, HiddenState state, List<? extends Var> weights) {
    Checks.checkInput("ElmanCell", input, "U", inputSize());
    int batch = input.shape().dim(0);
    Checks.checkState("ElmanCell", "H(t-1)", state.h(), batch, hiddenSize());
    Var u = weights.get(0);
    Var w = weights.get(1);
    Var b = weights.get(2);
    // With tanh, the whole step is one op that keeps one tensor, its output, where the two
    // products, the two sums and the activation as separate ops keep five.
    Var h =
        hidden == Activation.TANH
            ? FusedSteps.rnnTanhCell(input, state.h(), u, w, b)
            : hidden.apply(state.h().affine(w, input.affine(u, b)));
    return output(h, weights);
  }

  /**
   * The sequence {@code inputs [batch, time, in]}. With tanh, each step is the one op of {@link
   * #step}, reading its input in place: projecting ahead would add a product and a copy per step to
   * a step that computes {@code x(t) U} inside its op. With another activation, {@code x U + b} for
   * every step at once, one product of {@code [batch·time, in]} rows.
   */
  @Override
  public Prepared<HiddenState> prepare(Var inputs) {
    CellChecks.checkSequence("ElmanCell", inputs.shape(), "U", inputSize());
    int batch = inputs.shape().dim(0);
    if (hidden == Activation.TANH) {
      return (t, state) -> {
        Checks.checkState("ElmanCell", "H(t-1)", state.h(), batch, hiddenSize());
        return output(FusedSteps.rnnTanhCell(inputs, t, state.h(), u, w, b), ownWeights);
      };
    }
    Var projection = inputs.affine(u, b);
    return (t, state) -> {
      Checks.checkState("ElmanCell", "H(t-1)", state.h(), batch, hiddenSize());
      return output(hidden.apply(state.h().affine(w, projection.select(1, t))), ownWeights);
    };
  }

  /** The step's output from its new state: the state itself, or the output layer's. */
  private Step<HiddenState> output(Var h, List<? extends Var> weights) {
    if (!hasOutputLayer()) {
      return new Step<>(h, new HiddenState(h));
    }
    Var y = output.apply(h.matmul(weights.get(3)).add(weights.get(4)));
    return new Step<>(y, new HiddenState(h));
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

  /**
   * The output weights.
   *
   * @throws IllegalStateException if the cell has no output layer
   */
  public Parameter v() {
    checkOutputLayer();
    return v;
  }

  /**
   * The output bias.
   *
   * @throws IllegalStateException if the cell has no output layer
   */
  public Parameter c() {
    checkOutputLayer();
    return c;
  }

  /** φ, the hidden layer's activation. */
  public Activation hiddenActivation() {
    return hidden;
  }

  /**
   * σ, the output layer's activation.
   *
   * @throws IllegalStateException if the cell has no output layer
   */
  public Activation outputActivation() {
    checkOutputLayer();
    return output;
  }

  private void checkOutputLayer() {
    checkState(hasOutputLayer(), "ElmanCell: this cell has no output layer (V, c)");
  }

  @Override
  public String toString() {
    String layers = "ElmanCell(in " + inputSize() + ", hidden " + hiddenSize() + " " + hidden;
    return hasOutputLayer() ? layers + ", out " + outputSize() + " " + output + ")" : layers + ")";
  }
}
