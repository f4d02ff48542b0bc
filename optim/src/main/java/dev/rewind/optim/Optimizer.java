package dev.rewind.optim;

import com.google.common.collect.ImmutableList;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.rewind.autodiff.tape.Parameter;

/**
 * Updates a fixed list of parameters from their gradients, one step at a time, keeping whatever
 * per-parameter state its algorithm needs. The state can be exported and restored exactly, so that
 * a restored optimizer continues bit for bit as if it had never stopped.
 *
 * <pre>
 * for each step t = 0, 1, ...:
 *   g_t ← ∂loss/∂θ at θ_t          (the caller, with a Tape)
 *   θ_{t+1}, state ← rule(θ_t, g_t, state)
 * </pre>
 */
public interface Optimizer {

  /** The parameters this optimizer updates, in the order it was given them. */
  ImmutableList<Parameter> parameters();

  /** The number of steps taken so far (skipped steps are not counted). */
  long steps();

  /**
   * Updates every parameter from its gradient. Gradients are checked before any parameter changes:
   * a step either updates all parameters or none. Gradients of parameters not in {@link
   * #parameters()} are ignored.
   *
   * @throws IllegalArgumentException naming the parameter whose gradient is missing or of the wrong
   *     shape
   * @throws NonFiniteGradientException naming the parameter whose gradient holds NaN or an
   *     infinity, unless this optimizer's policy is to skip such steps
   */
  @CanIgnoreReturnValue
  StepReport step(ParameterGradients gradients);

  /** A snapshot of the step count and all per-parameter state. */
  OptimizerState exportState();

  /**
   * Replaces the step count and all per-parameter state with {@code state}, exported from an
   * optimizer of the same algorithm over parameters of the same names and shapes. Hyperparameters
   * are not part of the state: build this optimizer with the same ones to continue bit for bit.
   *
   * @throws IllegalArgumentException if the state is from another algorithm, names a parameter this
   *     optimizer does not have, lacks one it has, or holds a tensor of the wrong shape
   */
  void restoreState(OptimizerState state);
}
