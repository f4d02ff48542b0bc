package dev.rewind.layers;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import java.util.function.BinaryOperator;

/**
 * One time step of a recurrent network: {@code (x(t), state(t-1)) → (output(t), state(t))}. A cell
 * is a pure composition of autodiff ops, so its backward pass — BPTT, once unrolled by {@link
 * Recurrent} — comes from the tape. Implement this interface (or write a lambda for {@link #step})
 * to get unrolling, masking and gradient checks for a cell of your own.
 *
 * @param <S> the state carried between steps
 */
public interface RecurrentCell<S extends RecurrentState<S>> {

  /** The number of features each input row has. */
  int inputSize();

  /** The state before the first step: zeros, for a batch of {@code batchSize} sequences. */
  S initialState(int batchSize);

  /** One step: {@code input} is {@code [batch, inputSize]}. */
  Step<S> step(Var input, S state);

  /**
   * The part of every step that reads only its input, for all steps at once: {@code inputs [batch,
   * time, inputSize]} to {@code [batch, time, P]}. {@link Recurrent} calls it once per sequence and
   * hands it to every step through {@link #stepFromProjection(Var, int, RecurrentState)}, so that
   * the input's product with its weights is one large matrix product rather than one small one per
   * step, as in PyTorch's CPU RNNs. The default projects nothing and returns {@code inputs}.
   */
  default Var inputProjection(Var inputs) {
    return inputs;
  }

  /**
   * One step given its slice {@code [batch, P]} of {@link #inputProjection}. A cell that overrides
   * one overrides both, and then {@code step(x, s)} and {@code stepFromProjection} of {@code x}'s
   * projection compute the same function (the same numbers on the Java kernel; native BLAS may
   * round one tall product differently from many short ones). The default is {@link #step}.
   */
  default Step<S> stepFromProjection(Var projected, S state) {
    return step(projected, state);
  }

  /**
   * Step {@code t} given the whole {@link #inputProjection}, {@code [batch, time, P]}: what {@link
   * Recurrent} calls. The default hands {@link #stepFromProjection} the step's slice; a cell may
   * read its step from the projection in place instead, with the same numbers.
   */
  default Step<S> stepFromProjection(Var projection, int t, S state) {
    return stepFromProjection(projection.select(1, t), state);
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
      public String name() {
        return "RecurrentCell.of(" + inputSize + ", " + stateSize + ")";
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
