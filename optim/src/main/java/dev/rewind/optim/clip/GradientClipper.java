package dev.rewind.optim.clip;

import dev.rewind.optim.ParameterGradients;

/**
 * Shrinks gradients that are too large, returning them with the norm measured before clipping.
 *
 * <pre>
 * (g', ‖g‖) = clip(g)
 * </pre>
 *
 * <p>Two families. The exact clippers ({@link ClipByValue}, {@link ClipByTensorNorm}, {@link
 * ClipByGlobalNorm}) never change a direction they need not change, leave gradients under their
 * threshold untouched, and refuse non-finite gradients ({@link
 * dev.rewind.optim.NonFiniteGradientException} naming the parameter) rather than turn them into NaN
 * everywhere. The PyTorch clippers ({@link TorchClipGradValue}, {@link TorchClipGradNorm}) compute
 * exactly what PyTorch's {@code clip_grad_value_} and {@code clip_grad_norm_} compute, NaN and
 * infinities included, and say so with {@link #acceptsNonFinite}.
 */
@FunctionalInterface
public interface GradientClipper {

  /** Clips {@code gradients}; they are not modified. */
  ClipResult clip(ParameterGradients gradients);

  /**
   * Whether {@link #clip} takes gradients holding NaN or ±Inf and returns what it makes of them, as
   * PyTorch's functions do, rather than refusing them. A {@link ClippedOptimizer} then applies its
   * {@link NonFinitePolicy} to the clipped gradients instead of the given ones.
   *
   * @return false unless a clipper says otherwise
   */
  default boolean acceptsNonFinite() {
    return false;
  }
}
