package dev.rewind.optim.clip;

import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.optim.ParameterGradients;
import java.util.List;

/**
 * Clips all gradients by one global norm exactly as PyTorch's {@code
 * torch.nn.utils.clip_grad_norm_(parameters, maxNorm, normType)} does with {@code
 * error_if_nonfinite=False}, so that a training script ported from PyTorch gets the same numbers:
 * every gradient is multiplied by one coefficient, which is 1 only well under the threshold.
 *
 * <pre>
 * n_p = ‖g_p‖                           the norm of each parameter's gradient
 * N   = ‖(n_1, n_2, ...)‖               the total norm, returned
 * k   = min(1, (1 / (N + 1e-6)) · c)
 * g_p ← k · g_p   for every p
 * </pre>
 *
 * <p>Where it differs from {@link ClipByGlobalNorm}, the exact threshold:
 *
 * <ul>
 *   <li>Gradients whose norm is c, or under c by less than about {@code 1e-6}, are still shrunk,
 *       and clipped gradients end with a norm a little under c.
 *   <li>NaN and infinities are not refused. An infinite N (an infinite element, or finite elements
 *       whose squares overflow, which {@code ClipByGlobalNorm} avoids by scaling) makes k = 0:
 *       finite elements become ±0 and infinite ones NaN. A NaN anywhere makes N, k and every
 *       element NaN. Where PyTorch's optimizer would then write NaN into the parameters, a {@link
 *       ClippedOptimizer} throws or skips the step, as its {@link NonFinitePolicy} says; with
 *       {@code THROW} that is what {@code error_if_nonfinite=True} does, except that gradients
 *       whose norm merely overflows are zeroed and stepped with rather than refused.
 * </ul>
 *
 * <p>The arithmetic is PyTorch 1.13's on the CPU in float64, operation for operation, and the tests
 * hold it to PyTorch 1.13.1's numbers bit for bit:
 *
 * <ul>
 *   <li>L2: a norm is the square root of the sum of squares taken in element order with fused
 *       multiply-adds, {@code s ← fma(x, x, s)}, unscaled; the total is the same norm of the
 *       per-parameter norms in parameter order ({@code torch.stack}). A gradient of more than
 *       32,768 elements is summed by PyTorch in parts, one per intra-op thread, so there its last
 *       bits depend on the thread count; this is the result with one thread.
 *   <li>MAX: the largest absolute element, NaN if an element is NaN, and the largest of those over
 *       the parameters. An empty gradient counts as 0 (PyTorch 1.13 raises on one).
 *   <li>k: PyTorch evaluates {@code max_norm / (total_norm + 1e-6)}, a float divided by a tensor,
 *       as the reciprocal times {@code max_norm} ({@code Tensor.__rtruediv__}), which differs from
 *       one division in the last bit about one time in four; {@code torch.clamp(max=1.0)} keeps
 *       NaN.
 *   <li>Multiplying by k = 1 changes no element, so gradients are then returned as they are.
 * </ul>
 *
 * <p>PyTorch 2.x keeps this formula (the same 1e-6, the reciprocal, the clamp, and {@code
 * error_if_nonfinite=False} by default) but groups the gradients by device and dtype and uses
 * multi-tensor ({@code foreach}) kernels, takes the infinity norm with {@code
 * torch.linalg.vector_norm} (the same value), and exposes the two halves as {@code get_total_norm}
 * and {@code clip_grads_with_norm_}. With every gradient float64 on one device the norms are
 * stacked in parameter order as here; whether 2.x's norm kernels round as 1.13's do has not been
 * checked.
 *
 * <p>A float32 gradient stays float32: its norm is summed as above in float64 from its float
 * elements, and k is rounded to a float for the product. PyTorch keeps the norms and k as float32
 * tensors, so on float32 gradients the two agree to float32 rounding, not bit for bit.
 *
 * @param type the norm, L2 ({@code norm_type=2}) or MAX ({@code norm_type=inf})
 * @param maxNorm c, positive and finite
 */
public record TorchClipGradNorm(NormType type, double maxNorm) implements GradientClipper {
  private static final String NAME = "torchClipGradNorm";

  /** PyTorch's guard against dividing by a zero norm. */
  private static final double EPSILON = 1e-6;

  public TorchClipGradNorm {
    Clipping.checkThreshold(NAME, "maxNorm", maxNorm);
  }

  /** {@code clip_grad_norm_(parameters, maxNorm)}: the global L2 norm. */
  public static TorchClipGradNorm l2(double maxNorm) {
    return new TorchClipGradNorm(NormType.L2, maxNorm);
  }

  /**
   * Multiplies every gradient by {@code min(1, c / (N + 1e-6))}, NaN and infinities included.
   *
   * @return the clipped gradients, the total norm N, and whether the coefficient was not 1
   */
  @Override
  public ClipResult clip(ParameterGradients gradients) {
    List<Tensor> tensors = Clipping.tensors(gradients);
    double[] norms = new double[tensors.size()];
    for (int i = 0; i < norms.length; i++) {
      norms[i] = norm(tensors.get(i));
    }
    double total = norm(Tensor.vector(norms));
    double coefficient = Math.min((1.0 / (total + EPSILON)) * maxNorm, 1.0);
    if (coefficient == 1.0) {
      return new ClipResult(gradients, total, false);
    }
    return new ClipResult(
        gradients.map((parameter, gradient) -> Pointwise.scale(gradient, coefficient)),
        total,
        true);
  }

  /** Returns true: NaN and infinities go through as PyTorch's arithmetic makes them. */
  @Override
  public boolean acceptsNonFinite() {
    return true;
  }

  private double norm(Tensor tensor) {
    if (type == NormType.MAX) {
      return NormType.MAX.of(tensor);
    }
    // NOTE: one running sum with fused multiply-adds, in element order, and no scaling: this is
    // how PyTorch 1.13's CPU kernel rounds (and overflows). Math.fma is one instruction on
    // x86-64 with FMA and on AArch64; elsewhere the JDK computes it exactly in software, slowly.
    double sumOfSquares = 0;
    for (int i = 0; i < tensor.size(); i++) {
      double value = tensor.getFlat(i);
      sumOfSquares = Math.fma(value, value, sumOfSquares);
    }
    return Math.sqrt(sumOfSquares);
  }
}
