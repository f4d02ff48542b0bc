package dev.rewind.optim.clip;

import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.optim.ParameterGradients;

/**
 * Clips every gradient element into [−v, v] exactly as PyTorch's {@code
 * torch.nn.utils.clip_grad_value_(parameters, v)}, which is {@code grad.clamp_(-v, v)}: on finite
 * gradients the same as {@link ClipByValue}, but NaN and infinities are not refused. ±∞ becomes ±v,
 * and NaN stays NaN, as {@code torch.clamp} keeps it.
 *
 * <pre>
 * g_i ← min(v, max(−v, g_i))       NaN stays NaN
 * </pre>
 *
 * <p>So an infinite gradient element is stepped with as ±v, as in PyTorch. A NaN reaches a {@link
 * ClippedOptimizer}'s {@link NonFinitePolicy}, which throws or skips the step where PyTorch's
 * optimizer would write NaN into the parameter.
 *
 * <p>The returned norm is the largest absolute element before clipping (PyTorch returns nothing):
 * infinite if an element is, NaN if one is NaN. Gradients with no element outside [−v, v] are
 * returned as they are. PyTorch 2.x clamps with multi-tensor ({@code foreach}) kernels, {@code
 * clamp_min_} then {@code clamp_max_}, which give the same finite values.
 *
 * @param limit v, positive and finite
 */
public record TorchClipGradValue(double limit) implements GradientClipper {
  private static final String NAME = "torchClipGradValue";

  public TorchClipGradValue {
    Clipping.checkThreshold(NAME, "limit", limit);
  }

  /**
   * Clamps every element into [−v, v], NaN and infinities included.
   *
   * @return the clipped gradients, the largest absolute element before clipping, and whether an
   *     element was outside [−v, v]
   */
  @Override
  public ClipResult clip(ParameterGradients gradients) {
    double largest = NormType.MAX.ofAll(Clipping.tensors(gradients));
    boolean clipped = false;
    for (Tensor gradient : Clipping.tensors(gradients)) {
      clipped |= hasElementOutside(gradient);
    }
    if (!clipped) {
      return new ClipResult(gradients, largest, false);
    }
    return new ClipResult(
        gradients.map(
            (parameter, gradient) ->
                hasElementOutside(gradient) ? Pointwise.clamp(gradient, -limit, limit) : gradient),
        largest,
        true);
  }

  /** Returns true: ±∞ is clamped to ±v and NaN goes through, as in PyTorch. */
  @Override
  public boolean acceptsNonFinite() {
    return true;
  }

  private boolean hasElementOutside(Tensor gradient) {
    for (int i = 0; i < gradient.size(); i++) {
      if (Math.abs(gradient.getFlat(i)) > limit) {
        return true;
      }
    }
    return false;
  }
}
