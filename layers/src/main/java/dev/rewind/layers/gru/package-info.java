/**
 * Gated recurrent units.
 *
 * <ol>
 *   <li>{@link dev.rewind.layers.gru.GruCell} — PyTorch's {@code nn.GRU} cell (the reset gate
 *       applied after {@code W_hn}, as cuDNN does) and the original form of Cho et al. (applied
 *       before); its state is a {@link dev.rewind.layers.HiddenState}.
 * </ol>
 *
 * <p>The cell is a composition of autodiff ops: its BPTT comes from the tape.
 */
@CheckReturnValue
package dev.rewind.layers.gru;

import com.google.errorprone.annotations.CheckReturnValue;
