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
 *   <li>{@link dev.rewind.optim.clip.TorchClipGradValue} and {@link
 *       dev.rewind.optim.clip.TorchClipGradNorm} — PyTorch's {@code clip_grad_value_} and {@code
 *       clip_grad_norm_}, bit for bit, NaN and infinities included.
 *   <li>{@link dev.rewind.optim.clip.NormType} — L2 or max norm.
 *   <li>{@link dev.rewind.optim.clip.ClippedOptimizer} and {@link
 *       dev.rewind.optim.clip.NonFinitePolicy} — clipping composed with any optimizer, failing or
 *       skipping a step whose gradients are not finite.
 * </ol>
 *
 * <p>Clipping never modifies its input (gradients are immutable), and keeps the direction when
 * clipping by norm. The exact clippers ({@code ClipBy...}) leave gradients under the threshold as
 * they are and refuse NaN and infinite gradients with an error naming the parameter. The PyTorch
 * clippers ({@code Torch...}) compute what PyTorch computes: {@code TorchClipGradNorm} scales every
 * gradient by {@code min(1, c / (‖g‖ + 1e-6))}, and both pass NaN and infinities through as PyTorch
 * does. A {@code ClippedOptimizer} applies its {@code NonFinitePolicy} to the gradients its
 * optimizer would get, failing or skipping (and reporting) a step rather than writing NaN into a
 * parameter.
 *
 * <p>Clipping keeps each gradient's dtype. Norms are returned as doubles; the factor or the limit
 * applied to a float32 gradient is rounded to a float and the product taken in float32, so a
 * clipped float32 gradient meets its threshold to float32 rounding (a limit v that is not a float
 * clamps to the float nearest v).
 */
@CheckReturnValue
package dev.rewind.optim.clip;

import com.google.errorprone.annotations.CheckReturnValue;
