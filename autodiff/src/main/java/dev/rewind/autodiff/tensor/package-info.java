/**
 * Tensors and the numeric kernels: every loop over elements in Rewind lives in this package.
 *
 * <ol>
 *   <li>{@link dev.rewind.autodiff.tensor.Shape} — dimensions, broadcasting rules, axis checks.
 *   <li>{@link dev.rewind.autodiff.tensor.Tensor} — the immutable row-major value and its
 *       factories.
 *   <li>{@link dev.rewind.autodiff.tensor.Pointwise} — element-wise kernels, broadcasting.
 *   <li>{@link dev.rewind.autodiff.tensor.Reductions} — sums and maxima, over all or one axis.
 *   <li>{@link dev.rewind.autodiff.tensor.Layout} — broadcast, transpose, concat, slice, gather.
 *   <li>{@link dev.rewind.autodiff.tensor.MatMul} — matrix products, 2-D and batched.
 *   <li>{@link dev.rewind.autodiff.tensor.GateKernels} — the LSTM and GRU gate blocks, fused.
 * </ol>
 *
 * <p>The kernels users call are the public classes listed above. Those that only the ops call
 * belong in {@code dev.rewind.autodiff.internal}, which is no part of the API; {@code GateKernels},
 * {@code SparseLeft}, {@code GradientSum} and {@code Columns} are public here for now, but are
 * internal all the same: nothing outside {@code autodiff} should call them.
 *
 * <p>Nothing here is differentiable and nothing here mutates a tensor: every kernel returns a new
 * one, so a dropped result is always a bug, and the compiler reports it.
 */
@CheckReturnValue
package dev.rewind.autodiff.tensor;

import com.google.errorprone.annotations.CheckReturnValue;
