/**
 * An Elman step with tanh, {@link dev.rewind.autodiff.ops.rnn.RnnTanhCell} (PyTorch's {@code
 * rnn_tanh_cell}), and the gate blocks of the standard recurrent cells as single ops: {@link
 * dev.rewind.autodiff.ops.rnn.LstmGates} (PyTorch's {@code nn.LSTM}) and {@link
 * dev.rewind.autodiff.ops.rnn.GruGates} (PyTorch's {@code nn.GRU}), each with its backward rule as
 * an op of its own ({@link dev.rewind.autodiff.ops.rnn.LstmGatesGrad}, {@link
 * dev.rewind.autodiff.ops.rnn.GruGatesGrad}): one fused kernel per step on the first-order path,
 * and written again with element-wise ops for gradients of gradients.
 */
@CheckReturnValue
package dev.rewind.autodiff.ops.rnn;

import com.google.errorprone.annotations.CheckReturnValue;
