/**
 * Long short-term memory.
 *
 * <ol>
 *   <li>{@link dev.rewind.layers.lstm.LstmCell} — PyTorch's {@code nn.LSTM} cell, the 1997 form
 *       without a forget gate, optional peepholes, a settable forget-gate bias.
 *   <li>{@link dev.rewind.layers.lstm.LstmState} — the {@code (h, c)} pair it carries.
 * </ol>
 *
 * <p>The cell is a composition of autodiff ops: its BPTT comes from the tape.
 */
@CheckReturnValue
package dev.rewind.layers.lstm;

import com.google.errorprone.annotations.CheckReturnValue;
