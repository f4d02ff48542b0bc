package dev.rewind.optim.clip;

/**
 * What a {@link ClippedOptimizer} does when gradients that would reach its optimizer hold NaN or an
 * infinity: the gradients as given, for the exact clippers, which refuse them; the clipped
 * gradients, for a clipper that {@linkplain GradientClipper#acceptsNonFinite accepts them} as
 * PyTorch's do. Either way no parameter is changed by that step; no optimizer here writes NaN into
 * a parameter, as PyTorch's would after {@code clip_grad_norm_(..., error_if_nonfinite=False)}.
 *
 * <pre>
 * THROW      throw NonFiniteGradientException naming the parameter, element and value
 *            (PyTorch: clip_grad_norm_(..., error_if_nonfinite=True))
 * SKIP_STEP  leave every parameter and the optimizer's state as they are, and report the
 *            parameters in StepReport.nonFiniteParameters()
 *            (PyTorch: what GradScaler does with a step whose gradients are not finite)
 * </pre>
 */
public enum NonFinitePolicy {
  /** Fail the step with a {@link dev.rewind.optim.NonFiniteGradientException}. */
  THROW,
  /** Skip the step and report which parameters had non-finite gradients. */
  SKIP_STEP
}
