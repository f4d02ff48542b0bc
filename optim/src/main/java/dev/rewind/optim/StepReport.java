package dev.rewind.optim;

import com.google.common.collect.ImmutableList;

/**
 * What one {@link Optimizer#step} did.
 *
 * @param taken whether the parameters were updated; false only when a {@code ClippedOptimizer} that
 *     skips non-finite gradients skipped the step
 * @param gradientNorm the size of the gradients as given, before anything changed them: their
 *     global L2 norm, or for a {@code ClippedOptimizer} the norm its clipper compares with its
 *     threshold; NaN or infinite when a gradient is
 * @param nonFiniteParameters the parameters whose gradient held NaN or an infinity, in order, when
 *     that made a {@code ClippedOptimizer} skip the step (with a clipper that accepts non-finite
 *     gradients, those still not finite after clipping); not empty exactly when a step was skipped
 *     for that reason
 */
public record StepReport(
    boolean taken, double gradientNorm, ImmutableList<String> nonFiniteParameters) {

  /** A step that updated the parameters. */
  public static StepReport taken(double gradientNorm) {
    return new StepReport(true, gradientNorm, ImmutableList.of());
  }

  /** A step skipped because the gradients of {@code nonFiniteParameters} were not finite. */
  public static StepReport skipped(double gradientNorm, ImmutableList<String> nonFiniteParameters) {
    return new StepReport(false, gradientNorm, nonFiniteParameters);
  }
}
