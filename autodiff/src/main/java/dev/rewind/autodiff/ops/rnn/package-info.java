/**
 * The recurrent steps and gate blocks of the standard cells, each a single op, and {@link
 * dev.rewind.autodiff.ops.rnn.FusedSteps}, the facade the cells reach them through.
 *
 * <ul>
 *   <li>{@link dev.rewind.autodiff.ops.rnn.RnnTanhCell} — an Elman step with tanh (PyTorch's {@code
 *       rnn_tanh_cell}); {@link dev.rewind.autodiff.ops.rnn.RecurrentAffine} — the affine part of a
 *       step, {@code h W + (x U + b)}.
 *   <li>{@link dev.rewind.autodiff.ops.rnn.LstmGates} (PyTorch's {@code nn.LSTM}; two outputs, h'
 *       and c') and {@link dev.rewind.autodiff.ops.rnn.GruGates} (PyTorch's {@code nn.GRU}) — the
 *       gate blocks, each with its backward rule as an op of its own with one output per input
 *       gradient ({@link dev.rewind.autodiff.ops.rnn.LstmGatesBackward}, {@link
 *       dev.rewind.autodiff.ops.rnn.GruGatesBackward}): one fused kernel per step on the
 *       first-order path, and written again with element-wise ops for gradients of gradients.
 * </ul>
 */
@CheckReturnValue
package dev.rewind.autodiff.ops.rnn;

import com.google.errorprone.annotations.CheckReturnValue;
