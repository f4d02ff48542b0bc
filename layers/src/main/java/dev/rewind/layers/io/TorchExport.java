package dev.rewind.layers.io;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Activation;
import dev.rewind.layers.Layer;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.StackedCell;
import dev.rewind.layers.elman.ElmanCell;
import dev.rewind.layers.gru.GruCell;
import dev.rewind.layers.lstm.LstmCell;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A cell as the PyTorch module that computes what it computes: the layers, checked to be of one
 * kind PyTorch has, and their weights in PyTorch's layout. {@link TorchStateDict#of} and {@link
 * TorchStateDict#save} are its public face.
 */
final class TorchExport {
  private static final String KINDS =
      "only an ElmanCell, LstmCell or GruCell, or a StackedCell of one kind of them, can be written"
          + " as a PyTorch state dict";

  /** {@code nn.RNN}, {@code nn.LSTM} or {@code nn.GRU}, and its constructor's arguments. */
  record Torch(
      String module,
      int inputSize,
      int hiddenSize,
      ImmutableList<TorchLayer> layers,
      Activation nonlinearity) {

    /** The state dict, in the order of PyTorch's {@code state_dict()}. */
    ImmutableMap<String, Tensor> stateDict() {
      ImmutableMap.Builder<String, Tensor> stateDict = ImmutableMap.builder();
      for (int k = 0; k < layers.size(); k++) {
        TorchLayer layer = layers.get(k);
        stateDict.put("weight_ih_l" + k, Layout.transpose(layer.weightIh(), 0, 1));
        stateDict.put("weight_hh_l" + k, Layout.transpose(layer.weightHh(), 0, 1));
        stateDict.put("bias_ih_l" + k, layer.biasIh());
        stateDict.put("bias_hh_l" + k, layer.biasHh());
      }
      return stateDict.buildOrThrow();
    }

    /** What a PyTorch user needs to build the module: its class and constructor arguments. */
    ImmutableMap<String, String> metadata() {
      ImmutableMap.Builder<String, String> metadata = ImmutableMap.builder();
      metadata.put("module", module);
      metadata.put("input_size", Integer.toString(inputSize));
      metadata.put("hidden_size", Integer.toString(hiddenSize));
      metadata.put("num_layers", Integer.toString(layers.size()));
      if (nonlinearity != null) {
        metadata.put("nonlinearity", nonlinearity.name().toLowerCase(Locale.ROOT));
      }
      return metadata.buildOrThrow();
    }
  }

  /** One layer's tensors in this library's layout: {@code [in, G·H]}, {@code [H, G·H]}, biases. */
  record TorchLayer(Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh) {}

  private TorchExport() {}

  /** The PyTorch module {@code cell} is, or an error naming the cell and what PyTorch lacks. */
  static Torch of(RecurrentCell<?> cell) {
    checkNotNull(cell, "TorchStateDict: the cell is null");
    List<? extends RecurrentCell<?>> cells =
        cell instanceof StackedCell<?> stacked ? stacked.layers() : List.of(cell);
    boolean isStack = cell instanceof StackedCell<?>;
    RecurrentCell<?> bottom = cells.get(0);
    ImmutableList.Builder<TorchLayer> layers = ImmutableList.builder();
    int hidden = 0;
    for (int k = 0; k < cells.size(); k++) {
      RecurrentCell<?> layer = cells.get(k);
      String who = isStack ? name(layer) + " (layer " + k + " of the StackedCell)" : name(layer);
      checkArgument(
          layer.getClass() == bottom.getClass(),
          "%s: differs in kind from layer 0 (%s); a PyTorch module's layers are of one kind",
          who,
          name(bottom));
      boolean top = k == cells.size() - 1;
      TorchLayer weights = layer(layer, who, top, bottom);
      int layerHidden = weights.weightHh().shape().dim(0);
      if (k > 0) {
        checkArgument(
            layerHidden == hidden,
            "%s: has %s hidden units where layer 0 has %s; PyTorch gives every layer the same"
                + " hidden_size",
            who,
            layerHidden,
            hidden);
        checkArgument(
            layer.inputSize() == hidden,
            "%s: reads %s inputs where the layer below has %s hidden units",
            who,
            layer.inputSize(),
            hidden);
      }
      hidden = layerHidden;
      layers.add(weights);
    }
    Activation nonlinearity = bottom instanceof ElmanCell elman ? elman.hiddenActivation() : null;
    return new Torch(module(bottom), bottom.inputSize(), hidden, layers.build(), nonlinearity);
  }

  private static String module(RecurrentCell<?> cell) {
    if (cell instanceof ElmanCell) {
      return "nn.RNN";
    }
    return cell instanceof LstmCell ? "nn.LSTM" : "nn.GRU";
  }

  /** A layer's weights, after checking that PyTorch has its kind and form. */
  private static TorchLayer layer(
      RecurrentCell<?> cell, String who, boolean top, RecurrentCell<?> bottom) {
    if (cell instanceof ElmanCell elman) {
      return elman(elman, who, top, (ElmanCell) bottom);
    }
    if (cell instanceof LstmCell lstm) {
      checkArgument(
          lstm.options().equals(LstmCell.Options.standard()),
          "%s: the form %s has no counterpart in PyTorch's nn.LSTM, which has a forget gate and no"
              + " peepholes (LstmCell.Options.standard())",
          who,
          describe(lstm.options()));
      return gateWeights(lstm);
    }
    if (cell instanceof GruCell gru) {
      checkArgument(
          gru.form() == GruCell.Form.RESET_AFTER,
          "%s: the form %s (the reset gate applied to h(t-1) before W_hn) has no counterpart in"
              + " PyTorch's nn.GRU, which is RESET_AFTER",
          who,
          gru.form());
      return gateWeights(gru);
    }
    throw new IllegalArgumentException(who + ": has no counterpart in PyTorch; " + KINDS);
  }

  private static TorchLayer elman(ElmanCell elman, String who, boolean top, ElmanCell bottom) {
    Activation activation = elman.hiddenActivation();
    checkArgument(
        activation == Activation.TANH || activation == Activation.RELU,
        "%s: the hidden activation %s has no counterpart in PyTorch's nn.RNN, whose nonlinearity is"
            + " tanh or relu",
        who,
        activation);
    checkArgument(
        activation == bottom.hiddenActivation(),
        "%s: has the hidden activation %s where layer 0 has %s; nn.RNN has one nonlinearity",
        who,
        activation,
        bottom.hiddenActivation());
    checkArgument(
        top || !elman.hasOutputLayer(),
        "%s: has an output layer (V, c) that feeds the layer above, which nn.RNN cannot express;"
            + " only the top layer may have one (and it is not written)",
        who);
    // NOTE: b becomes bias_ih and bias_hh is zero: nn.RNN adds the two, so it computes the same.
    Tensor b = elman.b().value();
    return new TorchLayer(elman.u().value(), elman.w().value(), b, Tensor.zerosLike(b));
  }

  /** The four parameters of an LSTM or GRU cell, in the order of PyTorch's state dict. */
  private static TorchLayer gateWeights(Layer cell) {
    Map<String, Parameter> parameters = cell.namedParameters();
    return new TorchLayer(
        parameters.get("weightIh").value(),
        parameters.get("weightHh").value(),
        parameters.get("biasIh").value(),
        parameters.get("biasHh").value());
  }

  private static String describe(LstmCell.Options options) {
    String form =
        options.form() == LstmCell.Form.NO_FORGET_GATE
            ? "NO_FORGET_GATE (the 1997 cell, without a forget gate)"
            : options.form().name();
    return options.peepholes() ? form + " with peepholes" : form;
  }

  private static String name(RecurrentCell<?> cell) {
    return cell instanceof Layer module ? module.name() : cell.getClass().getName();
  }
}
