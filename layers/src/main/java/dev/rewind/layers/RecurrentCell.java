package dev.rewind.layers;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Shape;
import java.util.function.BinaryOperator;

/**
 * One time step of a recurrent network: {@code (x(t), state(t-1)) → (output(t), state(t))}. A cell
 * is a pure composition of autodiff ops, so its backward pass — BPTT, once unrolled by {@link
 * Recurrent} — comes from the tape. Implement this interface (or write a lambda for {@link #step})
 * to get unrolling, masking and gradient checks for a cell of your own: {@link #step} is the one
 * step a cell must write, and {@link #prepare}, for work done once per sequence, has a default.
 *
 * @param <S> the state carried between steps
 */
public interface RecurrentCell<S extends RecurrentState<S>> {

  /** The number of features each input row has. */
  int inputSize();

  /** The state before the first step: zeros, for a batch of {@code batchSize} sequences. */
  S initialState(int batchSize);

  /**
   * {@link #initialState(int)} in {@code dtype}, the inputs' dtype: what an unroll starts from when
   * not given a state. By default it converts the float64 zeros of {@link #initialState(int)}; the
   * library's cells make them in {@code dtype} at once, which a cell of one's own may do too.
   */
  default S initialState(int batchSize, DType dtype) {
    return initialState(batchSize).withDType(dtype);
  }

  /** One step: {@code input} is {@code [batch, inputSize]}. */
  Step<S> step(Var input, S state);

  /**
   * Everything this cell does once per sequence, then one call per step: {@code inputs} is {@code
   * [batch, time, inputSize]}, and step {@code t} of the result computes {@code step(x(t), state)}.
   * {@link Recurrent} calls it once per run. The default does nothing ahead and steps each slice
   * {@code x(t)} through {@link #step}; a cell overrides it to work on the whole sequence at once,
   * for example to multiply every step's input by its weights in one large product (as PyTorch's
   * CPU RNNs do), or to read each step of {@code inputs} in place. Either way, stepping the result
   * gives the numbers of {@code step} (to the bit on the Java kernel; native BLAS may round one
   * tall product differently from many short ones).
   */
  default Prepared<S> prepare(Var inputs) {
    return (t, state) -> step(inputs.select(1, t), state);
  }

  /**
   * A sequence made ready by {@link #prepare}: its steps, called in order {@code t = 0, 1, …}, each
   * with the state the previous one returned (or a state made from it, such as a masked one). A
   * checkpointed unroll ({@link Recurrent#checkpointed}) calls a segment's steps again in the
   * backward pass, in the same order from the segment's first and with the same states, and needs
   * the same values from them.
   *
   * @param <S> the state carried between steps
   */
  @FunctionalInterface
  interface Prepared<S> {
    /** Step {@code t} of the prepared sequence from {@code state}. */
    Step<S> step(int t, S state);
  }

  /**
   * A short name for messages. A cell that is also a {@link Layer} gets {@link Layer#name}, its
   * class name.
   */
  default String name() {
    return getClass().getSimpleName();
  }

  /**
   * A cell from a lambda: {@code step(x(t), h(t-1))} returns {@code h(t)}, which is both the output
   * and the state. The parameters the lambda closes over are trained like any others.
   *
   * <pre>{@code
   * RecurrentCell<HiddenState> cell =
   *     RecurrentCell.of(3, 4, (x, h) -> x.matmul(u).add(h.matmul(w)).tanh());
   * }</pre>
   */
  static RecurrentCell<HiddenState> of(int inputSize, int stateSize, BinaryOperator<Var> step) {
    // Made once: every step's checks pass it to their messages, which build nothing unless they
    // fail, but a name built on each call was built at every step (0.7% of a GRU step at hidden
    // 128).
    String name = "RecurrentCell.of(" + inputSize + ", " + stateSize + ")";
    return new RecurrentCell<>() {
      @Override
      public int inputSize() {
        return inputSize;
      }

      @Override
      public HiddenState initialState(int batchSize) {
        return HiddenState.zeros(batchSize, stateSize);
      }

      @Override
      public HiddenState initialState(int batchSize, DType dtype) {
        return HiddenState.zeros(batchSize, stateSize, dtype);
      }

      @Override
      public String name() {
        return name;
      }

      @Override
      public Step<HiddenState> step(Var input, HiddenState state) {
        Shape x = input.shape();
        checkArgument(
            x.rank() == 2 && x.dim(1) == inputSize,
            "%s: input %s must be [batch, %s]",
            name(),
            x,
            inputSize);
        checkArgument(
            state.h().shape().equals(Shape.of(x.dim(0), stateSize)),
            "%s: state h %s must be [%s, %s] for a batch of %s",
            name(),
            state.h().shape(),
            x.dim(0),
            stateSize,
            x.dim(0));
        Var h = step.apply(input, state.h());
        checkArgument(
            h.shape().equals(state.h().shape()),
            "%s: the step function returned h %s for a state %s",
            name(),
            h.shape(),
            state.h().shape());
        return new Step<>(h, new HiddenState(h));
      }
    };
  }

  /** What a step returns: its output and the state carried to the next step. */
  record Step<S>(Var output, S state) {}
}
