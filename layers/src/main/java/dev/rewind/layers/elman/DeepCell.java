package dev.rewind.layers.elman;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Layer;
import dev.rewind.layers.LayerList;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.StackedState;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link DeepElmanCell} and {@link DeepJordanCell} share: hidden layers stacked under an
 * output layer, registered as {@code layers.0}, …, {@code layers.(L−1)}, whose step reads the
 * weights in the order of {@link #parameters} (three per hidden layer, {@code U, W, b}, then the
 * output layer's {@code U, b}). Subclasses check the layers' sizes before calling the constructor
 * and say in {@link #step(Var, StackedState, List)} what each layer feeds back.
 */
abstract class DeepCell extends Layer implements RecurrentCell<StackedState<HiddenState>> {
  final ImmutableList<HiddenLayer> hidden;
  private final OutputLayer output;
  private final ImmutableList<Parameter> ownWeights;

  /** Stacks {@code hidden} (layer 1 first) under {@code output}; both already checked. */
  DeepCell(List<HiddenLayer> hidden, OutputLayer output) {
    this.hidden = ImmutableList.copyOf(hidden);
    this.output = output;
    List<Layer> layers = new ArrayList<>(hidden);
    layers.add(output);
    child("layers", new LayerList(layers));
    this.ownWeights = parameters();
  }

  /** Checks that there is at least one hidden layer and an output layer. */
  static void checkStack(String cell, List<HiddenLayer> hidden, OutputLayer output) {
    checkArgument(!hidden.isEmpty(), "%s: needs at least one hidden layer", cell);
    checkNotNull(output, "%s: the output layer is null", cell);
  }

  /**
   * Checks that the {@code U} of {@code layers.layer} (the output layer when {@code layer} is the
   * number of hidden layers) has a row for each unit of the layer below it.
   */
  static void checkBelow(String cell, List<HiddenLayer> hidden, OutputLayer output, int layer) {
    boolean isOutput = layer == hidden.size();
    int rows = isOutput ? output.inputSize() : hidden.get(layer).inputSize();
    int below = hidden.get(layer - 1).size();
    checkArgument(
        rows == below,
        "%s: layers.%s.U%s has shape %s but the layer below it, layers.%s, has %s units",
        cell,
        layer,
        isOutput ? " (the output layer)" : "",
        isOutput ? output.u().shape() : hidden.get(layer).u().shape(),
        layer - 1,
        below);
  }

  @Override
  public int inputSize() {
    return hidden.get(0).inputSize();
  }

  public int outputSize() {
    return output.outputSize();
  }

  /** The hidden layers, layer 1 of the notes first. */
  public ImmutableList<HiddenLayer> hiddenLayers() {
    return hidden;
  }

  public OutputLayer outputLayer() {
    return output;
  }

  @Override
  public Step<StackedState<HiddenState>> step(Var input, StackedState<HiddenState> state) {
    return step(input, state, ownWeights);
  }

  /** One step of the network with {@code weights} in the order of {@link #parameters}. */
  abstract Step<StackedState<HiddenState>> step(
      Var input, StackedState<HiddenState> state, List<? extends Var> weights);

  /**
   * Hidden layer {@code l} on {@code below} and {@code fedBack}, with its three of {@code weights}.
   */
  final Var applyHidden(int l, Var below, Var fedBack, List<? extends Var> weights) {
    return hidden.get(l).apply(below, fedBack, weights.subList(3 * l, 3 * l + 3));
  }

  /** The output layer on the last hidden layer's {@code top}, with its two of {@code weights}. */
  final Var applyOutput(Var top, List<? extends Var> weights) {
    int last = 3 * hidden.size();
    return output.apply(top, weights.subList(last, last + 2));
  }

  @Override
  public String toString() {
    return name()
        + "(in "
        + inputSize()
        + ", hidden "
        + hidden.stream().map(HiddenLayer::size).toList()
        + ", out "
        + outputSize()
        + ")";
  }
}
