package dev.rewind.layers;

import dev.rewind.autodiff.tensor.Tensor;

/**
 * The state a recurrent cell carries from one time step to the next: a hidden vector, an LSTM's
 * {@code (h, c)}, a stack of layers' states. Every part has the batch as its first axis.
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
}
