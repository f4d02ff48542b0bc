/**
 * Gradient clipping, and what to do with non-finite gradients.
 *
 * <ol>
 *   <li>{@link dev.rewind.optim.clip.GradientClipper} — the interface: gradients in, clipped
 *       gradients and the norm before clipping out ({@link dev.rewind.optim.clip.ClipResult}).
 *   <li>{@link dev.rewind.optim.clip.ClipByValue} — every element into [−v, v].
 *   <li>{@link dev.rewind.optim.clip.ClipByTensorNorm} — each parameter's gradient by its own norm.
 *   <li>{@link dev.rewind.optim.clip.ClipByGlobalNorm} — all gradients by one norm, as if
 *       concatenated (PyTorch's {@code clip_grad_norm_}).
 *   <li>{@link dev.rewind.optim.clip.NormType} — L2 or max norm.
 *   <li>{@link dev.rewind.optim.clip.ClippedOptimizer} and {@link
 *       dev.rewind.optim.clip.NonFinitePolicy} — clipping composed with any optimizer, failing or
 *       skipping a step whose gradients are not finite.
 * </ol>
 *
 * <p>Clipping never modifies its input (gradients are immutable), leaves gradients under the
 * threshold as they are, and keeps the direction when clipping by norm. Every clipper refuses NaN
 * and infinite gradients with an error naming the parameter; only a {@code ClippedOptimizer} with
 * {@code SKIP_STEP} turns them into a skipped, reported step.
 */
@CheckReturnValue
package dev.rewind.optim.clip;

import com.google.errorprone.annotations.CheckReturnValue;
