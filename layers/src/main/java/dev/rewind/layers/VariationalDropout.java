package dev.rewind.layers;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * Variational dropout (Gal and Ghahramani, 2016) around any recurrent cell: one mask per sequence,
 * drawn once and applied at every time step, on the cell's inputs, on the hidden state it feeds
 * back, and on its outputs; in training mode only (see {@link Layer#train()}). Each row of the
 * batch, a sequence, has masks of its own.
 *
 * <pre>
 * output(t), state(t) = cell(x(t) * m_x, mapHidden(state(t-1), h -> h * m_h))
 * y(t) = output(t) * m_y
 * </pre>
 *
 * <p>The state mask {@code m_h} applies to the hidden state h the next step reads, as {@link
 * RecurrentState#mapHidden} names it: for an LSTM to h only, never to the memory c, as in Gal and
 * Ghahramani and Keras's {@code recurrent_dropout}. The state the cell returns (and a run's final
 * state) is left unmasked: only what is fed back is.
 *
 * <p>Masks are inverted-dropout masks ({@link Tensor#dropoutMask}: 0, or {@code 1 / (1 - p)}),
 * drawn from the given generator: the input mask by {@link #prepare}, which {@link Recurrent} calls
 * once per run, and the state and output masks at the first step after it (their shapes are known
 * only then), in that order, so the same seed gives the same masks. A loop of your own that calls
 * {@link #step} calls {@link #newSequence} before each sequence. Like every cell, one instance
 * serves one thread.
 *
 * @param <S> the wrapped cell's state
 */
public final class VariationalDropout<S extends RecurrentState<S>> extends Layer
    implements RecurrentCell<S> {
  private final RecurrentCell<S> cell;
  private final double pInput;
  private final double pState;
  private final double pOutput;
  // The masks of the current sequence; null, or empty, until drawn.
  private Tensor inputMask;
  private final List<Tensor> stateMasks = new ArrayList<>();
  private Tensor outputMask;

  private VariationalDropout(
      RecurrentCell<S> cell, double pInput, double pState, double pOutput, Random random) {
    this.cell = cell;
    this.pInput = pInput;
    this.pState = pState;
    this.pOutput = pOutput;
    drawFrom(random);
    registerIfLayer("cell", cell);
  }

  /**
   * Wraps {@code cell} with dropout of probability {@code pInput} on its inputs, {@code pState} on
   * the hidden state it feeds back and {@code pOutput} on its outputs, each mask drawn once per
   * sequence from {@code random}; a probability of 0 leaves that part alone. A cell that is a
   * {@link Layer} becomes this layer's child {@code cell}, so its parameters are named {@code
   * cell.…}.
   *
   * @throws IllegalArgumentException unless each probability is in {@code [0, 1]}
   * @throws UnsupportedOperationException if {@code pState > 0} and the cell's state does not
   *     implement {@link RecurrentState#mapHidden}
   */
  public static <S extends RecurrentState<S>> VariationalDropout<S> wrap(
      RecurrentCell<S> cell, double pInput, double pState, double pOutput, Random random) {
    checkProbability("pInput", pInput);
    checkProbability("pState", pState);
    checkProbability("pOutput", pOutput);
    checkArgument(random != null, "VariationalDropout: the random generator is null");
    if (pState > 0) {
      // Fails here, where the wrapper is made, for a state that does not say where h is.
      S unused = cell.initialState(1).mapHidden(UnaryOperator.identity());
    }
    return new VariationalDropout<>(cell, pInput, pState, pOutput, random);
  }

  private static void checkProbability(String name, double p) {
    checkArgument(p >= 0 && p <= 1, "VariationalDropout: %s = %s must be in [0, 1]", name, p);
  }

  /** The wrapped cell. */
  public RecurrentCell<S> cell() {
    return cell;
  }

  /** Forgets the current sequence's masks: the next step, or {@link #prepare}, draws new ones. */
  public void newSequence() {
    inputMask = null;
    stateMasks.clear();
    outputMask = null;
  }

  /**
   * Starts a new sequence in every variational dropout that {@code cell} is or holds (the layers of
   * a stack, a wrapped cell): what a loop that steps a cell one step at a time calls before each
   * sequence, as {@link dev.rewind.layers.seq.OneToMany} and the layers of a {@link StackedCell}
   * above its lowest do. A cell that is no {@link Layer} holds none.
   */
  public static void newSequences(RecurrentCell<?> cell) {
    if (cell instanceof Layer layer) {
      layer.visit(
          part -> {
            if (part instanceof VariationalDropout<?> dropout) {
              dropout.newSequence();
            }
          });
    }
  }

  @Override
  public int inputSize() {
    return cell.inputSize();
  }

  @Override
  public S initialState(int batchSize) {
    return cell.initialState(batchSize);
  }

  /**
   * Starts a new sequence: draws its input mask, applies it to every step of {@code inputs}, and
   * prepares the wrapped cell's run of the masked sequence.
   */
  @Override
  public Prepared<S> prepare(Var inputs) {
    newSequence();
    if (dropsOut(pInput)) {
      Shape shape = inputs.shape();
      inputMask = Tensor.dropoutMask(Shape.of(shape.dim(0), shape.dim(2)), pInput, generator());
      inputs = inputs.dropout(inputMask.reshape(Shape.of(shape.dim(0), 1, shape.dim(2))));
    }
    Prepared<S> sequence = cell.prepare(inputs);
    return (t, state) -> maskOutput(sequence.step(t, maskState(state)));
  }

  @Override
  public Step<S> step(Var input, S state) {
    if (dropsOut(pInput)) {
      if (inputMask == null) {
        inputMask = Tensor.dropoutMask(input.shape(), pInput, generator());
      }
      input = input.dropout(fitting(inputMask, input.shape(), "input"));
    }
    return maskOutput(cell.step(input, maskState(state)));
  }

  @Override
  public String name() {
    return "VariationalDropout(" + cell.name() + ")";
  }

  private boolean dropsOut(double p) {
    return p > 0 && isTraining();
  }

  private S maskState(S state) {
    if (!dropsOut(pState)) {
      return state;
    }
    int[] part = {0};
    return state.mapHidden(
        h -> {
          int index = part[0]++;
          if (index == stateMasks.size()) {
            stateMasks.add(Tensor.dropoutMask(h.shape(), pState, generator()));
          }
          return h.dropout(fitting(stateMasks.get(index), h.shape(), "state h"));
        });
  }

  private Step<S> maskOutput(Step<S> step) {
    if (!dropsOut(pOutput)) {
      return step;
    }
    Var output = step.output();
    if (outputMask == null) {
      outputMask = Tensor.dropoutMask(output.shape(), pOutput, generator());
    }
    return new Step<>(output.dropout(fitting(outputMask, output.shape(), "output")), step.state());
  }

  private Tensor fitting(Tensor mask, Shape shape, String part) {
    checkArgument(
        mask.shape().equals(shape),
        "%s: the %s %s does not fit this sequence's mask %s: call newSequence() before a new"
            + " sequence",
        name(),
        part,
        shape,
        mask.shape());
    return mask;
  }
}
