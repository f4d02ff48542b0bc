/**
 * Kernels that the ops of {@code autodiff} call across packages and that are no part of Rewind's
 * API: <b>not for use outside {@code autodiff}, and no compatibility promise</b>. Anything here may
 * change or go in any release, without notice. The published Javadoc leaves this package out, and
 * an architecture test fails the build if a class of another module depends on it.
 *
 * <ol>
 *   <li>{@link dev.rewind.autodiff.internal.BackwardKernels} — the fused backward rules of tanh,
 *       the logistic function and log-softmax.
 *   <li>{@link dev.rewind.autodiff.internal.TensorArrays} — a tensor's array without a copy, for
 *       the kernels of this package.
 * </ol>
 *
 * <p>The public kernels users call ({@code Pointwise}, {@code Reductions}, {@code Layout}, {@code
 * MatMul}) stay in {@link dev.rewind.autodiff.tensor}. As there, nothing here is differentiable and
 * nothing here mutates a tensor.
 */
@CheckReturnValue
package dev.rewind.autodiff.internal;

import com.google.errorprone.annotations.CheckReturnValue;
