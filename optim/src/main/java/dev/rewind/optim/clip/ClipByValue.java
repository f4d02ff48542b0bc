package dev.rewind.optim.clip;

import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.optim.ParameterGradients;

/**
 * Clips every gradient element into [−v, v], as note 002's element-wise clipping and PyTorch's
 * {@code clip_grad_value_}. This changes the direction of the gradient; norm clipping does not.
 *
 * <pre>
 * g_i ← min(v, max(−v, g_i))
 * </pre>
 *
 * <p>The returned norm is the largest absolute element before clipping. NaN and infinite gradients
 * are refused; {@link TorchClipGradValue} clamps ±∞ to ±v and keeps NaN, as PyTorch does.
 *
 * @param limit v, positive and finite
 */
public record ClipByValue(double limit) implements GradientClipper {
  private static final String NAME = "clipByValue";

  public ClipByValue {
    Clipping.checkThreshold(NAME, "limit", limit);
  }

  @Override
  public ClipResult clip(ParameterGradients gradients) {
    gradients.requireFinite(NAME);
    double largest = NormType.MAX.ofAll(Clipping.tensors(gradients));
    if (largest <= limit) {
      return new ClipResult(gradients, largest, false);
    }
    ParameterGradients clipped =
        gradients.map(
            (parameter, gradient) ->
                NormType.MAX.of(gradient) <= limit
                    ? gradient
                    : Pointwise.clamp(gradient, -limit, limit));
    return new ClipResult(clipped, largest, true);
  }
}
