package dev.rewind.layers;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.Maps;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The state a recurrent cell carries from one time step to the next: a hidden vector, an LSTM's
 * {@code (h, c)}, a stack of layers' states. Every part has the batch as its first axis.
 *
 * <p>A state is also a set of named tensors ({@link #tensors}) and can be rebuilt from them ({@link
 * #withTensors}), so that the state truncated BPTT carries across windows can be checkpointed
 * whatever its kind: a new state type implements both and calls {@link #checkFits} first.
 *
 * @param <S> the implementing type, so that the operations return the same kind of state
 */
public interface RecurrentState<S extends RecurrentState<S>> {

  /**
   * This state for the batch rows where {@code keep} is 1, and {@code previous} where it is 0: a
   * masked (padded) step leaves a sequence's state unchanged. {@code keep} has shape {@code [batch,
   * 1]}.
   */
  S where(Tensor keep, S previous);

  /** The same values cut off the tape: what truncated BPTT carries across windows. */
  S detach();

  /**
   * This state's values by name, in a fixed order: {@code h} for a {@link HiddenState}, {@code h}
   * and {@code c} for an LSTM's, {@code layers.0.h}, … for a {@link StackedState}. The tape is not
   * involved.
   */
  ImmutableMap<String, Tensor> tensors();

  /**
   * A state of this kind holding {@code tensors}, named as {@link #tensors} names them, as
   * constants (on no tape).
   *
   * @throws IllegalArgumentException naming the first tensor that is missing, not part of this
   *     state, or of another shape than this state's (with both shapes)
   */
  S withTensors(Map<String, Tensor> tensors);

  /**
   * This state with {@code f} applied to its hidden state h, the part the next step reads as its
   * recurrent input and what recurrent dropout masks ({@link VariationalDropout}): {@code h} of a
   * {@link HiddenState}, only {@code h} (never {@code c}) of an LSTM's state, each layer's {@code
   * h} of a {@link StackedState}, lowest first. A state of your own implements it to take a
   * recurrent dropout mask.
   *
   * @throws UnsupportedOperationException by default: the state does not say which part is h
   */
  default S mapHidden(UnaryOperator<Var> f) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName()
            + " does not say which part is its hidden state h: implement RecurrentState.mapHidden");
  }

  /**
   * This state with {@code f} applied to each of its values, in the order of {@link #tensors}: what
   * {@link Recurrent#checkpointed} uses to pass a state from one recomputed segment to the next. A
   * state of your own implements it to be run checkpointed.
   *
   * @throws UnsupportedOperationException by default: the state does not list its values
   */
  default S mapAll(UnaryOperator<Var> f) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName()
            + " does not list its values: implement RecurrentState.mapAll to run it checkpointed");
  }

  /**
   * This state with its values in {@code dtype}, as constants (on no tape): a zero state that a
   * cell or a function made in float64, for a float32 run. Itself when it has that dtype.
   */
  @SuppressWarnings("unchecked") // S is the implementing type
  default S withDType(DType dtype) {
    ImmutableMap<String, Tensor> values = tensors();
    if (values.values().stream().allMatch(t -> t.dtype() == dtype)) {
      return (S) this;
    }
    return withTensors(ImmutableMap.copyOf(Maps.transformValues(values, t -> t.to(dtype))));
  }

  /** The shapes of {@link #tensors} by name: what a checkpoint's carried state must match. */
  default ImmutableMap<String, Shape> shapes() {
    return ImmutableMap.copyOf(Maps.transformValues(tensors(), Tensor::shape));
  }

  /**
   * Checks that {@code tensors} has exactly the names and shapes of {@code state.tensors()}; the
   * first step of every {@link #withTensors}.
   *
   * @throws IllegalArgumentException as {@link #withTensors} describes
   */
  static void checkFits(RecurrentState<?> state, Map<String, Tensor> tensors) {
    String kind = state.getClass().getSimpleName();
    ImmutableMap<String, Tensor> expected = state.tensors();
    expected.forEach(
        (name, template) -> {
          Tensor value = tensors.get(name);
          checkArgument(value != null, "%s: %s %s is missing", kind, name, template.shape());
          checkArgument(
              value.shape().equals(template.shape()),
              "%s: %s has shape %s, this state has %s",
              kind,
              name,
              value.shape(),
              template.shape());
        });
    for (String name : tensors.keySet()) {
      checkArgument(
          expected.containsKey(name),
          "%s: %s is not part of this state, which has %s",
          kind,
          name,
          expected.keySet());
    }
  }
}
