package dev.rewind.autodiff.internal;

import dev.rewind.autodiff.tensor.Tensor;

/**
 * A gate block's outputs and what its backward kernel needs: the next state {@code h'} ({@code [B,
 * H]}), for the LSTM the next memory {@code c'} ({@code [B, H]}; null for the GRU), the activations
 * of the gate blocks ({@code [i f g o]}, {@code [B, 4H]}, for the LSTM; {@code [r z n]}, {@code [B,
 * 3H]}, for the GRU), laid out as the pre-activations, and for the LSTM {@code tanh(c')} ({@code
 * [B, H]}; null for the GRU).
 */
public record Gates(Tensor output, Tensor memory, Tensor activations, Tensor tanhMemory) {}
