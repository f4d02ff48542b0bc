package dev.rewind.optim.clip;

import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.optim.ParameterGradients;

/**
 * Clips all gradients together by one global norm, taken over all of them as if concatenated into
 * one vector: when it exceeds the maximum, every gradient is multiplied by the same factor, so the
 * direction of the whole update is kept. This is what PyTorch's {@code clip_grad_norm_} does, and
 * note 000's "normalize the gradient when it exceeds a threshold".
 *
 * <pre>
 * ‖g‖ = ‖(‖g_1‖, ‖g_2‖, ...)‖              one norm over all parameters
 * g_p ← (c / ‖g‖) · g_p   for every p,     if ‖g‖ &gt; c
 * </pre>
 *
 * <p>Unlike PyTorch, which always multiplies by {@code min(1, c / (‖g‖ + 1e-6))}, gradients under
 * the threshold are returned unchanged and clipped ones get norm c (within rounding), not slightly
 * less; the norm is scaled so that it cannot overflow; and NaN or infinite gradients are refused.
 * The returned norm is ‖g‖ before clipping, as PyTorch's. {@link TorchClipGradNorm} does what
 * PyTorch does, bit for bit.
 *
 * @param type the norm, L2 or MAX
 * @param maxNorm c, positive and finite
 */
public record ClipByGlobalNorm(NormType type, double maxNorm) implements GradientClipper {
  private static final String NAME = "clipByGlobalNorm";

  public ClipByGlobalNorm {
    Clipping.checkThreshold(NAME, "maxNorm", maxNorm);
  }

  /** Clips the global L2 norm to {@code maxNorm}, as {@code clip_grad_norm_(params, maxNorm)}. */
  public static ClipByGlobalNorm l2(double maxNorm) {
    return new ClipByGlobalNorm(NormType.L2, maxNorm);
  }

  @Override
  public ClipResult clip(ParameterGradients gradients) {
    gradients.requireFinite(NAME);
    double norm = type.ofAll(Clipping.tensors(gradients));
    if (norm <= maxNorm) {
      return new ClipResult(gradients, norm, false);
    }
    double factor = maxNorm / norm;
    return new ClipResult(
        gradients.map((parameter, gradient) -> Pointwise.scale(gradient, factor)), norm, true);
  }
}
