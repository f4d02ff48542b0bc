package dev.rewind.layers.lstm;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import dev.rewind.autodiff.ops.rnn.FusedSteps;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.CellChecks;
import dev.rewind.layers.Layer;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.init.Initializers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A long short-term memory cell, in the row-vector batch form. With {@link Form#FORGET_GATE} (the
 * default) it is PyTorch's {@code nn.LSTM} exactly:
 *
 * <pre>
 *   a    = x(t) weightIh + biasIh + h(t−1) weightHh + biasHh     gate blocks i, f, g, o of H columns
 *   i    = σ(a_i + p_i ⊙ c(t−1))                                  input gate
 *   f    = σ(a_f + p_f ⊙ c(t−1))                                  forget gate
 *   g    = tanh(a_g)                                              candidate
 *   c(t) = f ⊙ c(t−1) + i ⊙ g
 *   o    = σ(a_o + p_o ⊙ c(t))                                    output gate
 *   h(t) = o ⊙ tanh(c(t))                                         the output and the hidden state
 * </pre>
 *
 * <p>Unrolled ({@link #prepare}), the two biases are summed once per sequence and each step
 * computes {@code a} as one op that reads x(t) in place, {@link
 * dev.rewind.autodiff.ops.rnn.FusedSteps#recurrentAffine}: a batch of one-hot rows is multiplied by
 * its non-zeros, and no {@code [batch, time, 4H]} projection or its gradient is held. In PyTorch's
 * form (a forget gate, no peepholes) the gate block, everything after {@code a}, runs as one op,
 * {@link dev.rewind.autodiff.ops.rnn.LstmGates}, with its own backward rule; the other forms
 * compose it from element-wise ops.
 *
 * <p>{@link Form#NO_FORGET_GATE} is the original cell of Hochreiter and Schmidhuber (1997), whose
 * memory is a pure accumulator (the constant error carousel): {@code c(t) = c(t−1) + i ⊙ g}; its
 * gate blocks are i, g, o. The peephole terms {@code p ⊙ c} (Gers and Schmidhuber, 2000) are
 * present only with {@link Options#withPeepholes}: a {@code peephole} vector of per-unit (diagonal)
 * weights with blocks i, f, o (or i, o), where i and f look at {@code c(t−1)} and o at {@code
 * c(t)}.
 *
 * <p>Parameters, in order: {@code weightIh [in, G·H]}, {@code weightHh [H, G·H]}, {@code biasIh
 * [G·H]}, {@code biasHh [G·H]} and, with peepholes, {@code peephole [P·H]}, where G is the number
 * of gate blocks (4, or 3 without a forget gate) and P the number of peepholes (3, or 2). PyTorch
 * stores {@code weight_ih_l0} as {@code [G·H, in]}: ours is its transpose, with the same gate
 * order.
 */
public final class LstmCell extends Layer implements RecurrentCell<LstmState> {

  /** Whether the memory has a forget gate. */
  public enum Form {
    /** {@code c(t) = f ⊙ c(t−1) + i ⊙ g}; gate blocks i, f, g, o (PyTorch's order). */
    FORGET_GATE(4),
    /** The 1997 original, {@code c(t) = c(t−1) + i ⊙ g}; gate blocks i, g, o. */
    NO_FORGET_GATE(3);

    private final int gateBlocks;

    Form(int gateBlocks) {
      this.gateBlocks = gateBlocks;
    }

    /** The number of gate blocks of {@code hidden} columns in the weight matrices. */
    public int gateBlocks() {
      return gateBlocks;
    }

    /** The number of peephole blocks: one per sigmoid gate. */
    public int peepholeBlocks() {
      return gateBlocks - 1;
    }
  }

  /**
   * Which LSTM: the form of the memory update and whether the gates have peepholes.
   *
   * <pre>{@code
   * LstmCell.Options.standard()                   // PyTorch's nn.LSTM
   * LstmCell.Options.original1997()               // no forget gate
   * LstmCell.Options.standard().withPeepholes()   // Gers and Schmidhuber's peephole LSTM
   * }</pre>
   */
  public record Options(Form form, boolean peepholes) {

    /** With a forget gate and without peepholes: PyTorch's {@code nn.LSTM}. */
    public static Options standard() {
      return new Options(Form.FORGET_GATE, false);
    }

    /** Hochreiter and Schmidhuber's 1997 cell: no forget gate, no peepholes. */
    public static Options original1997() {
      return new Options(Form.NO_FORGET_GATE, false);
    }

    /** The same form with diagonal peephole weights from the memory cell to every gate. */
    public Options withPeepholes() {
      return new Options(form, true);
    }
  }

  private final Options options;
  private final int hiddenSize;
  private final Parameter weightIh;
  private final Parameter weightHh;
  private final Parameter biasIh;
  private final Parameter biasHh;
  // NOTE: null without peepholes.
  private final Parameter peephole;

  /**
   * PyTorch's {@code nn.LSTM} cell with explicit values: {@code weightIh [in, 4H]}, {@code weightHh
   * [H, 4H]}, {@code biasIh [4H]}, {@code biasHh [4H]}, gate blocks i, f, g, o.
   */
  public LstmCell(Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh) {
    this(Options.standard(), List.of(weightIh, weightHh, biasIh, biasHh));
  }

  /**
   * A cell of any form with explicit values, in the order of {@link #namedParameters}: {@code
   * weightIh}, {@code weightHh}, {@code biasIh}, {@code biasHh} and, with peepholes, {@code
   * peephole}.
   */
  public LstmCell(Options options, List<Tensor> weights) {
    this.options = options;
    checkWeights(options, weights);
    this.hiddenSize = weights.get(1).shape().dim(0);
    this.weightIh = parameter("weightIh", weights.get(0));
    this.weightHh = parameter("weightHh", weights.get(1));
    this.biasIh = parameter("biasIh", weights.get(2));
    this.biasHh = parameter("biasHh", weights.get(3));
    this.peephole = options.peepholes() ? parameter("peephole", weights.get(4)) : null;
  }

  /** PyTorch's {@code nn.LSTM} cell, every weight uniform in ±1/√hidden as PyTorch initialises. */
  public static LstmCell random(int inputSize, int hiddenSize, Random random) {
    return random(Options.standard(), inputSize, hiddenSize, random);
  }

  /** A cell of the given form, every weight (peepholes too) uniform in ±1/√hidden. */
  public static LstmCell random(Options options, int inputSize, int hiddenSize, Random random) {
    checkArgument(
        inputSize > 0 && hiddenSize > 0,
        "LstmCell: input size %s and hidden size %s must be positive",
        inputSize,
        hiddenSize);
    int columns = options.form().gateBlocks() * hiddenSize;
    List<Tensor> weights = new ArrayList<>();
    weights.add(Initializers.uniformRecurrent(Shape.of(inputSize, columns), hiddenSize, random));
    weights.add(Initializers.uniformRecurrent(Shape.of(hiddenSize, columns), hiddenSize, random));
    weights.add(Initializers.uniformRecurrent(Shape.of(columns), hiddenSize, random));
    weights.add(Initializers.uniformRecurrent(Shape.of(columns), hiddenSize, random));
    if (options.peepholes()) {
      int peepholes = options.form().peepholeBlocks() * hiddenSize;
      weights.add(Initializers.uniformRecurrent(Shape.of(peepholes), hiddenSize, random));
    }
    return new LstmCell(options, weights);
  }

  /**
   * Sets the forget-gate bias to {@code value}: the f block of {@code biasIh} to {@code value} and
   * that of {@code biasHh} to 0, so that while the weighted inputs are small every forget gate is
   * near {@code σ(value)}. A value of 1 (Jozefowicz et al., 2015) lets the memory keep its content
   * early in training. Call it after construction or loading; it changes the parameters' values.
   */
  public void setForgetBias(double value) {
    checkState(
        options.form() == Form.FORGET_GATE, "LstmCell: the 1997 form has no forget gate to bias");
    biasIh.assign(withForgetBlock(biasIh.value(), value));
    biasHh.assign(withForgetBlock(biasHh.value(), 0));
  }

  private Tensor withForgetBlock(Tensor bias, double value) {
    Tensor before = Layout.slice(bias, 0, 0, hiddenSize);
    Tensor after = Layout.slice(bias, 0, 2 * hiddenSize, bias.size());
    return Layout.concat(List.of(before, Tensor.full(Shape.of(hiddenSize), value), after), 0);
  }

  public Options options() {
    return options;
  }

  public int hiddenSize() {
    return hiddenSize;
  }

  @Override
  public int inputSize() {
    return weightIh.shape().dim(0);
  }

  @Override
  public LstmState initialState(int batchSize) {
    return LstmState.zeros(batchSize, hiddenSize);
  }

  @Override
  public LstmState initialState(int batchSize, DType dtype) {
    return LstmState.zeros(batchSize, hiddenSize, dtype);
  }

  @Override
  public Step<LstmState> step(Var input, LstmState state) {
    Shape x = input.shape();
    CellChecks.checkInput("LstmCell", x, "weightIh", inputSize());
    checkStateShapes(state, x);
    Var a = FusedSteps.recurrentAffine(input, state.h(), weightIh, weightHh, biasIh.add(biasHh));
    return stepFromPreActivations(a, state);
  }

  /**
   * The sequence {@code inputs [batch, time, in]}: the two biases are summed once, and each step's
   * pre-activations {@code h weightHh + (x(t) weightIh + biases)} are one op that reads x(t) in
   * place.
   */
  @Override
  public Prepared<LstmState> prepare(Var inputs) {
    Shape x = inputs.shape();
    CellChecks.checkSequence("LstmCell", x, "weightIh", inputSize());
    Shape stepInput = x.without(1);
    Var bias = biasIh.add(biasHh);
    return (t, state) -> {
      checkStateShapes(state, stepInput);
      Var a = FusedSteps.recurrentAffine(inputs, t, state.h(), weightIh, weightHh, bias);
      return stepFromPreActivations(a, state);
    };
  }

  private void checkStateShapes(LstmState state, Shape input) {
    CellChecks.checkState("LstmCell", "h", state.h().shape(), input, hiddenSize);
    CellChecks.checkState("LstmCell", "c", state.c().shape(), input, hiddenSize);
  }

  /** The step from its pre-activations {@code a = h weightHh + x weightIh + biases}. */
  private Step<LstmState> stepFromPreActivations(Var a, LstmState state) {
    Var c = state.c();
    if (options.equals(Options.standard())) {
      // PyTorch's nn.LSTM, the form most models use, runs its gates as one fused op: one kernel
      // per step each way, where the element-wise ops below take a dozen, each allocating a
      // tensor. Forward, the numbers are the same to the bit.
      List<Var> hiddenAndMemory = FusedSteps.lstmGates(a, c);
      Var hidden = hiddenAndMemory.get(0);
      return new Step<>(hidden, new LstmState(hidden, hiddenAndMemory.get(1)));
    }
    int blocks = options.form().gateBlocks();
    List<Var> gates = a.split(1, sizes(blocks));
    List<Var> peep = peephole == null ? null : peephole.split(0, sizes(blocks - 1));
    Var i = peeped(gates.get(0), peep, 0, c).sigmoid();
    Var next;
    if (options.form() == Form.FORGET_GATE) {
      Var f = peeped(gates.get(1), peep, 1, c).sigmoid();
      Var g = gates.get(2).tanh();
      next = f.mul(c).add(i.mul(g));
    } else {
      Var g = gates.get(1).tanh();
      next = c.add(i.mul(g));
    }
    Var o = peeped(gates.get(blocks - 1), peep, blocks - 2, next).sigmoid();
    Var hidden = o.mul(next.tanh());
    return new Step<>(hidden, new LstmState(hidden, next));
  }

  /** {@code a + p_k ⊙ memory} with peepholes, {@code a} without. */
  private static Var peeped(Var a, List<Var> peep, int k, Var memory) {
    return peep == null ? a : a.add(peep.get(k).mul(memory));
  }

  private int[] sizes(int blocks) {
    int[] sizes = new int[blocks];
    Arrays.fill(sizes, hiddenSize);
    return sizes;
  }

  private static int weightCount(Options options) {
    return weightNames(options).size();
  }

  private static List<String> weightNames(Options options) {
    return options.peepholes()
        ? List.of("weightIh", "weightHh", "biasIh", "biasHh", "peephole")
        : List.of("weightIh", "weightHh", "biasIh", "biasHh");
  }

  private static void checkWeights(Options options, List<Tensor> weights) {
    checkArgument(
        weights.size() == weightCount(options),
        "LstmCell: %s needs %s weight tensors (%s) but got %s",
        options,
        weightCount(options),
        weightNames(options),
        weights.size());
    Shape hh = weights.get(1).shape();
    checkArgument(
        hh.rank() == 2 && hh.dim(0) > 0,
        "LstmCell: weightHh has shape %s but must be [hidden, %s·hidden]",
        hh,
        options.form().gateBlocks());
    int hidden = hh.dim(0);
    int columns = options.form().gateBlocks() * hidden;
    Shape ih = weights.get(0).shape();
    checkArgument(
        ih.rank() == 2 && ih.dim(0) > 0 && ih.dim(1) == columns,
        "LstmCell: weightIh has shape %s but %s hidden units and %s gate blocks need [in, %s]",
        ih,
        hidden,
        options.form().gateBlocks(),
        columns);
    checkShape("weightHh", hh, Shape.of(hidden, columns), hidden);
    checkShape("biasIh", weights.get(2).shape(), Shape.of(columns), hidden);
    checkShape("biasHh", weights.get(3).shape(), Shape.of(columns), hidden);
    if (options.peepholes()) {
      Shape expected = Shape.of(options.form().peepholeBlocks() * hidden);
      checkShape("peephole", weights.get(4).shape(), expected, hidden);
    }
  }

  private static void checkShape(String name, Shape actual, Shape expected, int hidden) {
    checkArgument(
        actual.equals(expected),
        "LstmCell: %s has shape %s but %s hidden units need %s",
        name,
        actual,
        hidden,
        expected);
  }
}
