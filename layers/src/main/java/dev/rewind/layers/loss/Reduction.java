package dev.rewind.layers.loss;

/**
 * How a loss turns its per-element values into the value returned, as PyTorch's {@code reduction}
 * argument. With a mask, only the unmasked elements count.
 */
public enum Reduction {
  /** The per-element losses themselves, with masked elements set to 0. */
  NONE,
  /** The sum over the unmasked elements: note 000's {@code J = Σ_t J(t)}. */
  SUM,
  /**
   * The mean over the unmasked elements; a mask with no unmasked element gives 0 (not NaN), so a
   * window of pure padding adds nothing.
   */
  MEAN
}
