package dev.rewind.optim.clip;

import dev.rewind.optim.ParameterGradients;

/**
 * Shrinks gradients that are too large, returning them with the norm measured before clipping.
 * Clippers never change a direction they need not change, leave gradients under their threshold
 * untouched, and refuse non-finite gradients ({@link dev.rewind.optim.NonFiniteGradientException}
 * naming the parameter) rather than turn them into NaN everywhere.
 *
 * <pre>
 * (g', ‖g‖) = clip(g)
 * </pre>
 */
@FunctionalInterface
public interface GradientClipper {

  /** Clips {@code gradients}; they are not modified. */
  ClipResult clip(ParameterGradients gradients);
}
