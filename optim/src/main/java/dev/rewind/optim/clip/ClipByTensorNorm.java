package dev.rewind.optim.clip;

import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.optim.ParameterGradients;

/**
 * Clips each parameter's gradient by its own norm: a gradient whose norm exceeds the maximum is
 * rescaled to that norm, keeping its direction, as note 003 writes it for one weight matrix.
 * Gradients of different parameters are clipped independently, so the direction of the whole update
 * can change; {@link ClipByGlobalNorm} keeps it.
 *
 * <pre>
 * g_p ← c · g_p / ‖g_p‖   for every parameter p with ‖g_p‖ &gt; c
 * </pre>
 *
 * <p>The returned norm is the largest per-parameter norm before clipping.
 *
 * @param type the norm, L2 or MAX
 * @param maxNorm c, positive and finite
 */
public record ClipByTensorNorm(NormType type, double maxNorm) implements GradientClipper {
  private static final String NAME = "clipByTensorNorm";

  public ClipByTensorNorm {
    Clipping.checkThreshold(NAME, "maxNorm", maxNorm);
  }

  /** Clips each gradient's L2 norm to {@code maxNorm}. */
  public static ClipByTensorNorm l2(double maxNorm) {
    return new ClipByTensorNorm(NormType.L2, maxNorm);
  }

  @Override
  public ClipResult clip(ParameterGradients gradients) {
    gradients.requireFinite(NAME);
    double largest = 0;
    for (Tensor gradient : Clipping.tensors(gradients)) {
      largest = Math.max(largest, type.of(gradient));
    }
    if (largest <= maxNorm) {
      return new ClipResult(gradients, largest, false);
    }
    ParameterGradients clipped =
        gradients.map(
            (parameter, gradient) -> {
              double norm = type.of(gradient);
              return norm <= maxNorm ? gradient : Pointwise.scale(gradient, maxNorm / norm);
            });
    return new ClipResult(clipped, largest, true);
  }
}
