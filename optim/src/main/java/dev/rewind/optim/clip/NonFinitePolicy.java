package dev.rewind.optim.clip;

/**
 * What a {@link ClippedOptimizer} does when a gradient holds NaN or an infinity. Either way no
 * parameter is changed by that step.
 *
 * <pre>
 * THROW      throw NonFiniteGradientException naming the parameter, element and value
 * SKIP_STEP  leave every parameter and the optimizer's state as they are, and report the
 *            parameters in StepReport.nonFiniteParameters()
 * </pre>
 */
public enum NonFinitePolicy {
  /** Fail the step with a {@link dev.rewind.optim.NonFiniteGradientException}. */
  THROW,
  /** Skip the step and report which parameters had non-finite gradients. */
  SKIP_STEP
}
