package dev.rewind.layers.io;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.io.Safetensors;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Activation;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.StackedCell;
import dev.rewind.layers.elman.ElmanCell;
import dev.rewind.layers.gru.GruCell;
import dev.rewind.layers.lstm.LstmCell;
import dev.rewind.layers.lstm.LstmState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PyTorch state dicts in both directions: builds cells from the state dicts of PyTorch's {@code
 * nn.RNN}, {@code nn.LSTM} and {@code nn.GRU} (as written by {@code
 * safetensors.torch.save_file(module.state_dict(), path)} and read by {@link Safetensors#read}), so
 * that they compute what the PyTorch module computes; and writes cells back as such state dicts
 * ({@link #of}, {@link #save}), so that {@code module.load_state_dict(load_file(path))} makes the
 * PyTorch module compute what the cell computes.
 *
 * <pre>
 *   weight_ih_l{k}  [G·H, in]   ↔  weightIh, transposed [in, G·H]    (Elman: U)
 *   weight_hh_l{k}  [G·H, H]    ↔  weightHh, transposed [H, G·H]     (Elman: W)
 *   bias_ih_l{k}    [G·H]       ↔  biasIh                             (Elman: b = bias_ih + bias_hh)
 *   bias_hh_l{k}    [G·H]       ↔  biasHh                             (Elman: written as zeros)
 * </pre>
 *
 * <p>G is 1 for {@code nn.RNN}, 4 for {@code nn.LSTM} (gates i, f, g, o) and 3 for {@code nn.GRU}
 * (r, z, n): the gate order is PyTorch's, so only the transpose is needed. A module made with
 * {@code bias=False} has no bias entries; its cells get zero biases. Layer k of a module with
 * {@code num_layers > 1} is the suffix {@code _l{k}}; {@link #lstm} and the like stack every layer
 * in a {@link StackedCell}. Bidirectional modules ({@code _reverse}) and {@code proj_size} ({@code
 * weight_hr}) are rejected by name, as is any other entry.
 *
 * <p>Dtypes pass through: a float32 module's state dict ({@code F32}) makes float32 cells, a
 * float64 one float64 cells, and a cell is written in its parameters' dtype. A state dict whose
 * entries have different dtypes is refused, naming two of them; to load one into a cell of another
 * dtype, convert the cell with {@link dev.rewind.layers.Layer#to} or copy the values with {@link
 * LayerWeights#assign}, which converts as PyTorch's {@code load_state_dict} does.
 */
public final class TorchStateDict {
  private static final Pattern KEY =
      Pattern.compile("(weight_ih|weight_hh|bias_ih|bias_hh)_l(0|[1-9][0-9]{0,3})");

  private TorchStateDict() {}

  /** Layer {@code layer} of an {@code nn.RNN} with {@code nonlinearity} tanh or relu. */
  public static ElmanCell rnnLayer(Map<String, Tensor> stateDict, int layer, Activation hidden) {
    checkArgument(
        hidden == Activation.TANH || hidden == Activation.RELU,
        "nn.RNN: nonlinearity is tanh or relu in PyTorch, not %s",
        hidden);
    Layer weights = layer("nn.RNN", stateDict, layer, 1);
    Tensor b = Pointwise.add(weights.biasIh(), weights.biasHh());
    return new ElmanCell(weights.weightIh(), weights.weightHh(), b, hidden);
  }

  /** Every layer of an {@code nn.RNN}, stacked; names {@code layers.0.U}, …. */
  public static StackedCell<HiddenState> rnn(Map<String, Tensor> stateDict, Activation hidden) {
    List<ElmanCell> layers = new ArrayList<>();
    for (int k = 0; k < layerCount("nn.RNN", stateDict); k++) {
      layers.add(rnnLayer(stateDict, k, hidden));
    }
    return new StackedCell<>(layers);
  }

  /** Layer {@code layer} of an {@code nn.LSTM}: a {@link LstmCell} of the standard form. */
  public static LstmCell lstmLayer(Map<String, Tensor> stateDict, int layer) {
    Layer weights = layer("nn.LSTM", stateDict, layer, 4);
    return new LstmCell(weights.weightIh(), weights.weightHh(), weights.biasIh(), weights.biasHh());
  }

  /** Every layer of an {@code nn.LSTM}, stacked; names {@code layers.0.weightIh}, …. */
  public static StackedCell<LstmState> lstm(Map<String, Tensor> stateDict) {
    List<LstmCell> layers = new ArrayList<>();
    for (int k = 0; k < layerCount("nn.LSTM", stateDict); k++) {
      layers.add(lstmLayer(stateDict, k));
    }
    return new StackedCell<>(layers);
  }

  /**
   * Layer {@code layer} of an {@code nn.GRU}: a {@link GruCell} of the form {@code RESET_AFTER}.
   */
  public static GruCell gruLayer(Map<String, Tensor> stateDict, int layer) {
    Layer weights = layer("nn.GRU", stateDict, layer, 3);
    return new GruCell(
        GruCell.Form.RESET_AFTER,
        weights.weightIh(),
        weights.weightHh(),
        weights.biasIh(),
        weights.biasHh());
  }

  /** Every layer of an {@code nn.GRU}, stacked; names {@code layers.0.weightIh}, …. */
  public static StackedCell<HiddenState> gru(Map<String, Tensor> stateDict) {
    List<GruCell> layers = new ArrayList<>();
    for (int k = 0; k < layerCount("nn.GRU", stateDict); k++) {
      layers.add(gruLayer(stateDict, k));
    }
    return new StackedCell<>(layers);
  }

  /**
   * The state dict of the PyTorch module that computes what {@code cell} computes, in the order of
   * PyTorch's {@code state_dict()}: {@code weight_ih_l0}, {@code weight_hh_l0}, {@code bias_ih_l0},
   * {@code bias_hh_l0}, then {@code _l1}, …. The weights are transposed to PyTorch's layout {@code
   * [G·H, in]}; every value is copied exactly, in its dtype, so that a state dict read by {@link
   * #lstm} or {@link #gru} comes back bit for bit.
   *
   * <p>{@code cell} is an {@link ElmanCell} with tanh or relu ({@code nn.RNN}), an {@link LstmCell}
   * of the standard form ({@code nn.LSTM}), a {@link GruCell} of the form {@code RESET_AFTER}
   * ({@code nn.GRU}), or a {@link StackedCell} of cells of one of these kinds, one activation and
   * one hidden size ({@code num_layers}). The module to load it into has those sizes, {@code
   * bias=True} (the default) and {@code bidirectional=False}; {@code batch_first} is free, as it
   * changes no weight.
   *
   * <p>An Elman cell has one bias {@code b} where {@code nn.RNN} has two that it adds: {@code b} is
   * written as {@code bias_ih} and {@code bias_hh} as zeros, so the sum is {@code b}. (A state dict
   * read by {@link #rnn} therefore comes back with the same sum, not the same two biases.) {@code
   * nn.RNN} has no output layer: an Elman cell's {@code V} and {@code c} are not written, and the
   * module computes the cell's hidden states {@code H(t)}; in a stack only the top layer may have
   * an output layer, since a lower one's would feed the layer above.
   *
   * @throws IllegalArgumentException naming the cell (and its layer in a stack) if PyTorch has no
   *     such module: another kind of cell, peepholes or the 1997 LSTM, the other GRU form, another
   *     activation, layers of different kinds, activations or hidden sizes
   */
  public static ImmutableMap<String, Tensor> of(RecurrentCell<?> cell) {
    return TorchExport.of(cell).stateDict();
  }

  /**
   * Writes {@link #of}{@code (cell)} to {@code file} as safetensors, each tensor in its dtype
   * ({@code F64} for a float64 cell, {@code F32} for a float32 one), atomically, as {@link
   * LayerWeights#save} writes (an existing file is replaced whole, or left as it was if the write
   * fails). The metadata names the PyTorch module and its arguments, as strings: {@code module}
   * ({@code nn.RNN}, {@code nn.LSTM} or {@code nn.GRU}), {@code input_size}, {@code hidden_size},
   * {@code num_layers} and, for {@code nn.RNN}, {@code nonlinearity} ({@code tanh} or {@code
   * relu}). PyTorch reads the file with {@code safetensors.torch.load_file(file)}; a file of either
   * dtype loads into a module of either, as {@code load_state_dict} copies with conversion.
   *
   * @throws IllegalArgumentException as {@link #of}, before anything is written
   */
  public static void save(RecurrentCell<?> cell, Path file) throws IOException {
    TorchExport.Torch torch = TorchExport.of(cell);
    Safetensors.write(file, torch.stateDict(), torch.metadata());
  }

  /** One layer's tensors, transposed to this library's layout; zeros where there is no bias. */
  private record Layer(Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh) {}

  private static Layer layer(String module, Map<String, Tensor> stateDict, int layer, int gates) {
    int layers = layerCount(module, stateDict);
    checkArgument(
        layer >= 0 && layer < layers,
        "%s: the state dict has %s layer(s), so there is no layer %s",
        module,
        layers,
        layer);
    String suffix = "_l" + layer;
    Tensor ih = stateDict.get("weight_ih" + suffix);
    Tensor hh = stateDict.get("weight_hh" + suffix);
    checkArgument(
        hh.rank() == 2 && hh.shape().dim(0) == gates * hh.shape().dim(1) && hh.size() > 0,
        "%s: weight_hh%s has shape %s but must be [%sH, H]",
        module,
        suffix,
        hh.shape(),
        gates == 1 ? "" : gates + "·");
    int hidden = hh.shape().dim(1);
    int rows = gates * hidden;
    checkArgument(
        ih.rank() == 2 && ih.shape().dim(0) == rows && ih.shape().dim(1) > 0,
        "%s: weight_ih%s has shape %s but weight_hh%s %s needs [%s, in]",
        module,
        suffix,
        ih.shape(),
        suffix,
        hh.shape(),
        rows);
    if (layer > 0) {
      int below = stateDict.get("weight_hh_l" + (layer - 1)).shape().dim(1);
      checkArgument(
          ih.shape().dim(1) == below,
          "%s: weight_ih%s has shape %s but layer %s below it has %s hidden units",
          module,
          suffix,
          ih.shape(),
          layer - 1,
          below);
    }
    Tensor biasIh = bias(module, stateDict, "bias_ih" + suffix, rows, ih.dtype());
    Tensor biasHh = bias(module, stateDict, "bias_hh" + suffix, rows, ih.dtype());
    return new Layer(Layout.transpose(ih, 0, 1), Layout.transpose(hh, 0, 1), biasIh, biasHh);
  }

  private static Tensor bias(
      String module, Map<String, Tensor> stateDict, String key, int rows, DType dtype) {
    Tensor bias = stateDict.get(key);
    if (bias == null) {
      return Tensor.zeros(Shape.of(rows), dtype);
    }
    checkArgument(
        bias.shape().equals(Shape.of(rows)),
        "%s: %s has shape %s but the weights need [%s]",
        module,
        key,
        bias.shape(),
        rows);
    return bias;
  }

  /**
   * The number of layers, after checking that every key is a weight or bias of a layer, that the
   * entries share one dtype, that the layers are numbered from 0 without a gap, and that each has
   * both weights and both or no biases.
   */
  private static int layerCount(String module, Map<String, Tensor> stateDict) {
    TreeSet<Integer> layers = new TreeSet<>();
    Map.Entry<String, Tensor> first = null;
    for (Map.Entry<String, Tensor> entry : stateDict.entrySet()) {
      String key = entry.getKey();
      Matcher matcher = KEY.matcher(key);
      checkArgument(
          matcher.matches(),
          "%s: '%s' is not a weight_ih_lK, weight_hh_lK, bias_ih_lK or bias_hh_lK entry"
              + " (bidirectional modules and proj_size are not supported)",
          module,
          key);
      layers.add(Integer.parseInt(matcher.group(2)));
      first = first == null ? entry : first;
      checkArgument(
          entry.getValue().dtype() == first.getValue().dtype(),
          "%s: %s is %s but %s is %s; the state dict of a module has one dtype",
          module,
          first.getKey(),
          first.getValue().dtype(),
          key,
          entry.getValue().dtype());
    }
    checkArgument(!layers.isEmpty(), "%s: the state dict is empty", module);
    checkArgument(
        layers.last() == layers.size() - 1,
        "%s: the layers are %s, not numbered from 0 without a gap",
        module,
        layers);
    boolean anyBias = stateDict.keySet().stream().anyMatch(key -> key.startsWith("bias"));
    for (int layer : layers) {
      for (String name : List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh")) {
        boolean needed = name.startsWith("weight") || anyBias;
        checkArgument(
            !needed || stateDict.containsKey(name + "_l" + layer),
            "%s: %s_l%s is missing from the state dict",
            module,
            name,
            layer);
      }
    }
    return layers.size();
  }
}
