/**
 * Tensors and the numeric kernels users call. Every loop over elements in Rewind lives in this
 * package or in {@code dev.rewind.autodiff.internal}.
 *
 * <ol>
 *   <li>{@link dev.rewind.autodiff.tensor.Shape} — dimensions, broadcasting rules, axis checks.
 *   <li>{@link dev.rewind.autodiff.tensor.Tensor} — the immutable row-major value and its
 *       factories.
 *   <li>{@link dev.rewind.autodiff.tensor.Pointwise} — element-wise kernels, broadcasting.
 *   <li>{@link dev.rewind.autodiff.tensor.Reductions} — sums and maxima, over all or one axis.
 *   <li>{@link dev.rewind.autodiff.tensor.Layout} — broadcast, transpose, concat, slice, gather.
 *   <li>{@link dev.rewind.autodiff.tensor.MatMul} — matrix products, 2-D and batched.
 *   <li>{@link dev.rewind.autodiff.tensor.GradientSum} — the running sum of a value's gradients,
 *       which {@code Op}'s in-place backward hook adds into.
 *   <li>{@link dev.rewind.autodiff.tensor.Parallelism} — how many threads the kernels run on;
 *       results are the same bits on any number.
 * </ol>
 *
 * <p>The kernels users call are the public classes listed above. Those that only the ops call live
 * in {@code dev.rewind.autodiff.internal}, which is no part of the API: the fused gate blocks, the
 * sparse one-hot products, the per-row column kernels, and the elementary functions and row kernels
 * that they share with this package's kernels.
 *
 * <p>Nothing here is differentiable and nothing here mutates a tensor: every kernel returns a new
 * one, so a dropped result is always a bug, and the compiler reports it.
 */
@CheckReturnValue
package dev.rewind.autodiff.tensor;

import com.google.errorprone.annotations.CheckReturnValue;
