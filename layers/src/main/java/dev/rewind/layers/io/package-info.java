/**
 * Weights in and out: a layer's parameters as safetensors files (through {@link
 * dev.rewind.autodiff.io.Safetensors}), and PyTorch state dicts, read and written, each tensor in
 * its dtype (float64 as {@code F64}, float32 as {@code F32}).
 *
 * <ol>
 *   <li>{@link dev.rewind.layers.io.LayerWeights} — saves and loads a layer's parameters by their
 *       dotted names, a load copying each value into its parameter's dtype as PyTorch's {@code
 *       load_state_dict} does; a load that does not fit changes nothing.
 *   <li>{@link dev.rewind.layers.io.TorchStateDict} — builds Elman, LSTM and GRU cells (one layer
 *       or stacked) from the state dicts of PyTorch's {@code nn.RNN}, {@code nn.LSTM}, {@code
 *       nn.GRU}, and writes such cells back as those state dicts ({@code of}, {@code save}).
 * </ol>
 */
@CheckReturnValue
package dev.rewind.layers.io;

import com.google.errorprone.annotations.CheckReturnValue;
