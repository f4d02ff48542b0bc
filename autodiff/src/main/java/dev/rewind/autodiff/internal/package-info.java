/**
 * Kernels that the ops of {@code autodiff} call across packages and that are no part of Rewind's
 * API: <b>not for use outside {@code autodiff}, and no compatibility promise</b>. Anything here may
 * change or go in any release, without notice. The published Javadoc leaves this package out, and
 * an architecture test fails the build if a class of another module depends on it.
 *
 * <ol>
 *   <li>{@link dev.rewind.autodiff.internal.GateKernels} — the Elman, LSTM and GRU steps' gate
 *       blocks, forward and backward, fused.
 *   <li>{@link dev.rewind.autodiff.internal.SparseLeft} — the non-zeros of a mostly-zero left
 *       operand (one-hot rows), and the products that skip its zeros.
 *   <li>{@link dev.rewind.autodiff.internal.Columns} — picking and placing one column per row, and
 *       the fused log-probability of the target column.
 *   <li>{@link dev.rewind.autodiff.internal.BackwardKernels} — the fused backward rules of tanh,
 *       the logistic function and log-softmax.
 *   <li>{@link dev.rewind.autodiff.internal.ElementaryFunctions} — exp, tanh and the logistic
 *       function, which {@code tensor}'s element-wise kernels share with the fused ones.
 *   <li>{@link dev.rewind.autodiff.internal.Rows} — the maximum and softmax of a row, shared with
 *       {@code Reductions}.
 *   <li>{@link dev.rewind.autodiff.internal.TensorArrays} — a tensor's array without a copy, and
 *       {@code MatMul}'s affine map into an array, for the kernels of this package.
 *   <li>{@link dev.rewind.autodiff.internal.ComputePool} — the shared pool of daemon threads that
 *       computes a large kernel's output in chunks fixed by its shape, the same bits on any number
 *       of threads.
 *   <li>{@link dev.rewind.autodiff.internal.Buffers} — where the kernels' result arrays come from:
 *       the heap, or the arrays a recycling tape of the thread gave back.
 *   <li>{@code Scratch} (package-private) — per-thread working arrays of the fused kernels.
 * </ol>
 *
 * <p>The public kernels users call ({@code Pointwise}, {@code Reductions}, {@code Layout}, {@code
 * MatMul}) stay in {@link dev.rewind.autodiff.tensor}, and use the shared helpers here. As there,
 * nothing here is differentiable and nothing here mutates a tensor.
 */
@CheckReturnValue
package dev.rewind.autodiff.internal;

import com.google.errorprone.annotations.CheckReturnValue;
