/**
 * Optimizers: updating parameters from the gradients a tape computed.
 *
 * <ol>
 *   <li>{@link dev.rewind.optim.ParameterGradients} — one gradient per parameter, keyed by
 *       identity; what every optimizer steps with.
 *   <li>{@link dev.rewind.optim.Optimizer} — the interface: {@code step}, {@code exportState},
 *       {@code restoreState}.
 *   <li>{@link dev.rewind.optim.Sgd} — SGD with momentum, Nesterov and weight decay.
 *   <li>{@link dev.rewind.optim.Rprop} and {@link dev.rewind.optim.RpropVariant} — Rprop+, Rprop−,
 *       iRprop+, iRprop−.
 *   <li>{@link dev.rewind.optim.Adam} and {@link dev.rewind.optim.AdamW} — Adam, with L2 or
 *       decoupled weight decay.
 *   <li>{@link dev.rewind.optim.StepReport} — what a step did.
 *   <li>{@link dev.rewind.optim.OptimizerState} and {@link dev.rewind.optim.OptimizerStateTensors}
 *       — exported state, and the named tensors and metadata it is saved as (safetensors).
 *   <li>{@link dev.rewind.optim.AbstractOptimizer} — the base for writing another algorithm.
 *   <li>{@link dev.rewind.optim.NonFiniteGradientException} — a gradient held NaN or an infinity.
 * </ol>
 *
 * <h2>The step contract</h2>
 *
 * <p>A step checks every gradient before it changes any parameter: a missing gradient, one of the
 * wrong shape, or one holding NaN or an infinity is an error naming the parameter, and the
 * parameters are left as they were. NaN is never written into a parameter; to skip such steps
 * instead of failing, wrap the optimizer in a {@link dev.rewind.optim.clip.ClippedOptimizer}.
 * Parameters change only through {@link dev.rewind.autodiff.tape.Parameter#assign}, between steps;
 * gradients are immutable and never modified. Per-parameter state is keyed by the parameter's
 * identity, and exported by its name.
 *
 * <p>The related packages: {@link dev.rewind.optim.clip} (clipping, the non-finite policy) and
 * {@link dev.rewind.optim.schedule} (learning-rate schedules).
 */
@CheckReturnValue
package dev.rewind.optim;

import com.google.errorprone.annotations.CheckReturnValue;
