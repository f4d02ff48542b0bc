package dev.rewind.optim.clip;

import com.google.common.collect.ImmutableList;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.optim.Optimizer;
import dev.rewind.optim.OptimizerState;
import dev.rewind.optim.ParameterGradients;
import dev.rewind.optim.StepReport;
import java.util.ArrayList;
import java.util.List;

/**
 * Any optimizer with its gradients clipped first, and an explicit policy for non-finite gradients.
 * Wrappers nest: clipping by value and then by global norm is a clipped optimizer around a clipped
 * optimizer.
 *
 * <pre>
 * step(g):
 *   g ← g restricted to the optimizer's parameters (all present, right shapes)
 *   if the clipper refuses non-finite gradients (the exact clippers):
 *     if some g_p is not finite:  THROW → error naming p;  SKIP_STEP → report p, change nothing
 *   (g', ‖g‖) ← clipper.clip(g)
 *   if some g'_p is not finite (only a clipper that accepts them, such as the PyTorch ones):
 *     THROW → error naming p and its first non-finite element as given;  SKIP_STEP → report p
 *   optimizer.step(g');  report ‖g‖
 * </pre>
 *
 * <p>So the policy always judges the gradients the optimizer would be given. With a PyTorch clipper
 * ({@link TorchClipGradNorm}, {@link TorchClipGradValue}) a step goes exactly as in PyTorch as long
 * as the clipped gradients are finite: an infinite element clipped by value to ±v, or gradients
 * whose norm overflows and which {@code clip_grad_norm_} zeroes, are stepped with. Where the
 * clipped gradients hold NaN, and PyTorch's optimizer would write NaN into the parameters, the step
 * is refused ({@code THROW}, as PyTorch's {@code error_if_nonfinite=True}) or skipped ({@code
 * SKIP_STEP}, as PyTorch's {@code GradScaler} skips a step with non-finite gradients): no optimizer
 * here writes NaN or an infinity into a parameter. The parameters reported are those whose gradient
 * was not finite as given and still is not after clipping: where the trouble started.
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
   * report's {@code gradientNorm} is the clipper's norm before clipping, or when a gradient refused
   * by an exact clipper is not finite, the global L2 norm (NaN or infinite).
   */
  @CanIgnoreReturnValue
  @Override
  public StepReport step(ParameterGradients gradients) {
    ParameterGradients checked = gradients.restrictTo(optimizer.parameters(), NAME);
    if (!clipper.acceptsNonFinite()) {
      ImmutableList<String> nonFinite = checked.nonFiniteParameters();
      if (!nonFinite.isEmpty()) {
        if (policy == NonFinitePolicy.THROW) {
          checked.requireFinite(NAME);
        }
        return StepReport.skipped(NormType.L2.ofAll(Clipping.tensors(checked)), nonFinite);
      }
    }
    ClipResult result = clipper.clip(checked);
    if (clipper.acceptsNonFinite() && !result.gradients().nonFiniteParameters().isEmpty()) {
      return refuse(checked, result.gradients(), result.norm());
    }
    optimizer.step(result.gradients());
    return StepReport.taken(result.norm());
  }

  /**
   * Applies the policy to clipped gradients that are not finite, naming the parameters whose
   * gradients were not finite before clipping either (or, should a clipper have made finite ones
   * non-finite, those that are not finite after it).
   */
  private StepReport refuse(ParameterGradients given, ParameterGradients clipped, double norm) {
    List<Parameter> causes = new ArrayList<>();
    for (Parameter parameter : optimizer.parameters()) {
      if (!clipped.tensor(parameter).isFinite() && !given.tensor(parameter).isFinite()) {
        causes.add(parameter);
      }
    }
    ParameterGradients culprits = causes.isEmpty() ? clipped : given.restrictTo(causes, NAME);
    if (policy == NonFinitePolicy.THROW) {
      culprits.requireFinite(NAME);
    }
    return StepReport.skipped(norm, culprits.nonFiniteParameters());
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
