package dev.rewind.optim.clip;

import com.google.common.collect.ImmutableList;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.optim.Optimizer;
import dev.rewind.optim.OptimizerState;
import dev.rewind.optim.ParameterGradients;
import dev.rewind.optim.StepReport;

/**
 * Any optimizer with its gradients clipped first, and an explicit policy for non-finite gradients.
 * Wrappers nest: clipping by value and then by global norm is a clipped optimizer around a clipped
 * optimizer.
 *
 * <pre>
 * step(g):
 *   g ← g restricted to the optimizer's parameters (all present, right shapes)
 *   if some g_p is not finite:  THROW → error naming p;  SKIP_STEP → report p, change nothing
 *   (g', ‖g‖) ← clipper.clip(g)
 *   optimizer.step(g');  report ‖g‖
 * </pre>
 *
 * <p>The state is the wrapped optimizer's: a skipped step is not counted.
 */
public final class ClippedOptimizer implements Optimizer {
  private static final String NAME = "clippedOptimizer";

  private final Optimizer optimizer;
  private final GradientClipper clipper;
  private final NonFinitePolicy policy;

  public ClippedOptimizer(Optimizer optimizer, GradientClipper clipper, NonFinitePolicy policy) {
    this.optimizer = optimizer;
    this.clipper = clipper;
    this.policy = policy;
  }

  @Override
  public ImmutableList<Parameter> parameters() {
    return optimizer.parameters();
  }

  @Override
  public long steps() {
    return optimizer.steps();
  }

  /**
   * Clips the gradients and steps the wrapped optimizer, or applies the non-finite policy. The
   * report's {@code gradientNorm} is the clipper's norm before clipping, or when a gradient is not
   * finite, the global L2 norm (NaN or infinite).
   */
  @CanIgnoreReturnValue
  @Override
  public StepReport step(ParameterGradients gradients) {
    ParameterGradients checked = gradients.restrictTo(optimizer.parameters(), NAME);
    ImmutableList<String> nonFinite = checked.nonFiniteParameters();
    if (!nonFinite.isEmpty()) {
      if (policy == NonFinitePolicy.THROW) {
        checked.requireFinite(NAME);
      }
      return StepReport.skipped(NormType.L2.ofAll(Clipping.tensors(checked)), nonFinite);
    }
    ClipResult result = clipper.clip(checked);
    optimizer.step(result.gradients());
    return StepReport.taken(result.norm());
  }

  @Override
  public OptimizerState exportState() {
    return optimizer.exportState();
  }

  @Override
  public void restoreState(OptimizerState state) {
    optimizer.restoreState(state);
  }

  @Override
  public String toString() {
    return optimizer + " clipped by " + clipper + ", on non-finite gradients " + policy;
  }
}
