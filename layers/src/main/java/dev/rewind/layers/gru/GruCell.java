package dev.rewind.layers.gru;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.ops.rnn.FusedSteps;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.CellChecks;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Layer;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.init.Initializers;
import java.util.List;
import java.util.Random;

/**
 * A gated recurrent unit, in either of its two published forms, in the row-vector batch form:
 *
 * <pre>
 *   r    = σ(x(t) W_ir + b_ir + h(t−1) W_hr + b_hr)                 reset gate
 *   z    = σ(x(t) W_iz + b_iz + h(t−1) W_hz + b_hz)                 update gate
 *   n    = tanh(x(t) W_in + b_in + r ⊙ (h(t−1) W_hn + b_hn))         RESET_AFTER (cuDNN, PyTorch)
 *   n    = tanh(x(t) W_in + b_in + (r ⊙ h(t−1)) W_hn + b_hn)         RESET_BEFORE (Cho et al., 2014)
 *   h(t) = (1 − z) ⊙ n + z ⊙ h(t−1)                                 the output and the hidden state
 * </pre>
 *
 * <p>{@link Form#RESET_AFTER} is PyTorch's {@code nn.GRU} exactly; its gate block (everything after
 * the two products) runs as one op, {@link dev.rewind.autodiff.ops.rnn.GruGates}, with its own
 * backward rule. In {@link Form#RESET_BEFORE} the reset gate scales the previous state before it
 * meets {@code W_hn}, as in the GRU's original paper and Keras's {@code reset_after=False}; there
 * {@code b_in} and {@code b_hn} only act through their sum. Lecture note 002 writes the candidate
 * {@code tanh(r ⊙ W h(t−1) + W_x x(t))} without biases, and the update the other way round, {@code
 * h(t) = (1 − z) h(t−1) + z h̃(t)}: its z is this cell's {@code 1 − z}.
 *
 * <p>Parameters, in order, with gate blocks r, z, n of H columns (PyTorch's order): {@code weightIh
 * [in, 3H]} (W_ir | W_iz | W_in), {@code weightHh [H, 3H]}, {@code biasIh [3H]}, {@code biasHh
 * [3H]}. PyTorch stores {@code weight_ih_l0} as {@code [3H, in]}: ours is its transpose.
 */
public final class GruCell extends Layer implements RecurrentCell<HiddenState> {
  /** Where the reset gate acts: on the previous state, or on its product with {@code W_hn}. */
  public enum Form {
    /** {@code n = tanh(x W_in + b_in + r ⊙ (h W_hn + b_hn))}: cuDNN's and PyTorch's GRU. */
    RESET_AFTER,
    /** {@code n = tanh(x W_in + b_in + (r ⊙ h) W_hn + b_hn)}: Cho et al. (2014). */
    RESET_BEFORE
  }

  private final Form form;
  private final int hiddenSize;
  private final Parameter weightIh;
  private final Parameter weightHh;
  private final Parameter biasIh;
  private final Parameter biasHh;

  /**
   * PyTorch's {@code nn.GRU} cell with explicit values: {@code weightIh [in, 3H]}, {@code weightHh
   * [H, 3H]}, {@code biasIh [3H]}, {@code biasHh [3H]}, gate blocks r, z, n.
   */
  public GruCell(Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh) {
    this(Form.RESET_AFTER, weightIh, weightHh, biasIh, biasHh);
  }

  /** A cell of either form with explicit values, shaped as for the four-argument constructor. */
  public GruCell(Form form, Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh) {
    this.form = form;
    checkWeights(weightIh, weightHh, biasIh, biasHh);
    this.hiddenSize = weightHh.shape().dim(0);
    this.weightIh = parameter("weightIh", weightIh);
    this.weightHh = parameter("weightHh", weightHh);
    this.biasIh = parameter("biasIh", biasIh);
    this.biasHh = parameter("biasHh", biasHh);
  }

  /** PyTorch's {@code nn.GRU} cell, every weight uniform in ±1/√hidden as PyTorch initialises. */
  public static GruCell random(int inputSize, int hiddenSize, Random random) {
    return random(Form.RESET_AFTER, inputSize, hiddenSize, random);
  }

  /** A cell of the given form, every weight uniform in ±1/√hidden. */
  public static GruCell random(Form form, int inputSize, int hiddenSize, Random random) {
    checkArgument(
        inputSize > 0 && hiddenSize > 0,
        "GruCell: input size %s and hidden size %s must be positive",
        inputSize,
        hiddenSize);
    int columns = 3 * hiddenSize;
    return new GruCell(
        form,
        Initializers.uniformRecurrent(Shape.of(inputSize, columns), hiddenSize, random),
        Initializers.uniformRecurrent(Shape.of(hiddenSize, columns), hiddenSize, random),
        Initializers.uniformRecurrent(Shape.of(columns), hiddenSize, random),
        Initializers.uniformRecurrent(Shape.of(columns), hiddenSize, random));
  }

  public Form form() {
    return form;
  }

  public int hiddenSize() {
    return hiddenSize;
  }

  @Override
  public int inputSize() {
    return weightIh.shape().dim(0);
  }

  @Override
  public HiddenState initialState(int batchSize) {
    return HiddenState.zeros(batchSize, hiddenSize);
  }

  @Override
  public HiddenState initialState(int batchSize, DType dtype) {
    return HiddenState.zeros(batchSize, hiddenSize, dtype);
  }

  @Override
  public Step<HiddenState> step(Var input, HiddenState state) {
    Shape x = input.shape();
    CellChecks.checkInput("GruCell", x, "weightIh", inputSize());
    CellChecks.checkState("GruCell", "h", state.h().shape(), x, hiddenSize);
    return stepFromInput(input.affine(weightIh, biasIh), state.h());
  }

  /**
   * The sequence {@code inputs [batch, time, in]}: {@code x weightIh + biasIh} for every step at
   * once, one product of {@code [batch·time, in]} rows rather than one small one per step. In
   * PyTorch's form each step's gate block reads its step of that projection in place.
   */
  @Override
  public Prepared<HiddenState> prepare(Var inputs) {
    Shape x = inputs.shape();
    CellChecks.checkSequence("GruCell", x, "weightIh", inputSize());
    Shape stepInput = x.without(1);
    Var projection = inputs.affine(weightIh, biasIh);
    return (t, state) -> {
      CellChecks.checkState("GruCell", "h", state.h().shape(), stepInput, hiddenSize);
      Var h = state.h();
      Var next =
          form == Form.RESET_AFTER
              ? FusedSteps.gruGates(projection, t, h.affine(weightHh, biasHh), h)
              : resetBefore(projection.select(1, t), h);
      return new Step<>(next, new HiddenState(next));
    };
  }

  /** A step given {@code fromInput = x(t) weightIh + biasIh}, {@code [batch, 3·hidden]}. */
  private Step<HiddenState> stepFromInput(Var fromInput, Var h) {
    // PyTorch's form runs its gates as one fused op: one kernel per step each way, where composed
    // of element-wise ops, as resetBefore is, they take a dozen, each allocating a tensor. Forward,
    // the numbers are the same to the bit.
    Var next =
        form == Form.RESET_AFTER
            ? FusedSteps.gruGates(fromInput, h.affine(weightHh, biasHh), h)
            : resetBefore(fromInput, h);
    return new Step<>(next, new HiddenState(next));
  }

  /**
   * {@code h(t)} in {@link Form#RESET_BEFORE}, from {@code x(t) weightIh + biasIh} and {@code
   * h(t−1)}.
   */
  private Var resetBefore(Var fromInput, Var h) {
    int size = hiddenSize;
    List<Var> x = fromInput.split(1, size, size, size);
    List<Var> wh = weightHh.split(1, 2 * size, size);
    List<Var> bh = biasHh.split(0, 2 * size, size);
    List<Var> fromState = h.affine(wh.get(0), bh.get(0)).split(1, size, size);
    Var r = x.get(0).add(fromState.get(0)).sigmoid();
    Var z = x.get(1).add(fromState.get(1)).sigmoid();
    Var n = x.get(2).add(r.mul(h).matmul(wh.get(1))).add(bh.get(1)).tanh();
    // (1 − z) ⊙ n + z ⊙ h, written as PyTorch computes it.
    return n.add(z.mul(h.sub(n)));
  }

  private static void checkWeights(Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh) {
    Shape hh = weightHh.shape();
    checkArgument(
        hh.rank() == 2 && hh.dim(0) > 0,
        "GruCell: weightHh has shape %s but must be [hidden, 3·hidden]",
        hh);
    int hidden = hh.dim(0);
    Shape ih = weightIh.shape();
    checkArgument(
        ih.rank() == 2 && ih.dim(0) > 0 && ih.dim(1) == 3 * hidden,
        "GruCell: weightIh has shape %s but %s hidden units need [in, %s]",
        ih,
        hidden,
        3 * hidden);
    checkShape("weightHh", hh, Shape.of(hidden, 3 * hidden), hidden);
    checkShape("biasIh", biasIh.shape(), Shape.of(3 * hidden), hidden);
    checkShape("biasHh", biasHh.shape(), Shape.of(3 * hidden), hidden);
  }

  private static void checkShape(String name, Shape actual, Shape expected, int hidden) {
    checkArgument(
        actual.equals(expected),
        "GruCell: %s has shape %s but %s hidden units need %s",
        name,
        actual,
        hidden,
        expected);
  }
}
