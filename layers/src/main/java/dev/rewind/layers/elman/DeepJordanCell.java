package dev.rewind.layers.elman;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.layers.Activation;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.StackedState;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Note 000's deep RNN with top-down recurrence: each hidden layer reads the layer below at this
 * step and the layer <em>above</em> at the previous step; the last hidden layer reads the previous
 * output.
 *
 * <pre>
 *   h^1(t)     = φ(U^1ᵀ x(t) + W^1ᵀ h^2(t−1) + b^1)                     first hidden layer
 *   h^l(t)     = φ(U^lᵀ h^{l−1}(t) + W^lᵀ h^{l+1}(t−1) + b^l)           l = 2, …, L−2
 *   h^{L−1}(t) = φ(U^{L−1}ᵀ h^{L−2}(t) + W^{L−1}ᵀ y(t−1) + b^{L−1})     last hidden layer
 *   y(t)       = σ(U^Lᵀ h^{L−1}(t) + b^L)                               output layer
 *
 *   H^l(t) = φ(H^{l−1}(t) U^l + H^{l+1}(t−1) W^l + b^l),  H^0(t) = X(t), H^L = Y      batch form
 *   Y(t)   = σ(H^{L−1}(t) U^L + b^L)
 *
 *   U^l [size(l−1), size(l)]   W^l [size(l+1), size(l)]   b^l [size(l)]
 * </pre>
 *
 * <p>Layer l of the notes is {@code layers.(l−1)} here: parameters {@code layers.0.U}, {@code
 * layers.0.W}, {@code layers.0.b}, …, and the output layer's {@code layers.(L−1).U}, {@code
 * layers.(L−1).b}. The state holds what each hidden layer reads back, lowest first: {@code H^2(t),
 * …, H^{L−1}(t), Y(t)}, all zero before the first step. Each step outputs {@code Y(t)}. With one
 * hidden layer this is the {@link JordanCell} ({@code V = U^2}, {@code c = b^2}).
 */
public final class DeepJordanCell extends DeepCell {

  /** Stacks {@code hidden} (layer 1 first) under {@code output}. */
  public DeepJordanCell(List<HiddenLayer> hidden, OutputLayer output) {
    super(checked(hidden, output), output);
  }

  private static List<HiddenLayer> checked(List<HiddenLayer> hidden, OutputLayer output) {
    checkStack("DeepJordanCell", hidden, output);
    for (int l = 1; l <= hidden.size(); l++) {
      checkBelow("DeepJordanCell", hidden, output, l);
    }
    int last = hidden.size() - 1;
    for (int l = 0; l < hidden.size(); l++) {
      int above = l < last ? hidden.get(l + 1).size() : output.outputSize();
      checkArgument(
          hidden.get(l).feedbackSize() == above,
          "DeepJordanCell: layers.%s.W has shape %s but the layer above, layers.%s, feeds back %s"
              + " units: it must be [%s, %s]",
          l,
          hidden.get(l).w().shape(),
          l + 1,
          above,
          above,
          hidden.get(l).size());
    }
    return hidden;
  }

  /**
   * A network of {@code hiddenSizes.size()} hidden layers and an output layer, drawn layer by layer
   * from the lowest with {@link HiddenLayer#random} and {@link OutputLayer#random}.
   */
  public static DeepJordanCell random(
      int inputSize,
      List<Integer> hiddenSizes,
      int outputSize,
      Activation hidden,
      Activation output,
      Random random) {
    List<HiddenLayer> layers = new ArrayList<>();
    int below = inputSize;
    for (int l = 0; l < hiddenSizes.size(); l++) {
      int above = l + 1 < hiddenSizes.size() ? hiddenSizes.get(l + 1) : outputSize;
      layers.add(HiddenLayer.random(below, above, hiddenSizes.get(l), hidden, random));
      below = hiddenSizes.get(l);
    }
    return new DeepJordanCell(layers, OutputLayer.random(below, outputSize, output, random));
  }

  /** Zeros for {@code H^2(0), …, H^{L−1}(0), Y(0)}. */
  @Override
  public StackedState<HiddenState> initialState(int batchSize) {
    return new StackedState<>(
        ImmutableList.copyOf(
            hidden.stream()
                .map(layer -> HiddenState.zeros(batchSize, layer.feedbackSize()))
                .toList()));
  }

  @Override
  Step<StackedState<HiddenState>> step(
      Var input, StackedState<HiddenState> state, List<? extends Var> weights) {
    Checks.checkInput("DeepJordanCell", input, "layers.0.U", inputSize());
    int batch = input.shape().dim(0);
    checkArgument(
        state.layers().size() == hidden.size(),
        "DeepJordanCell: the state holds %s layers but the network feeds back into %s hidden"
            + " layers",
        state.layers().size(),
        hidden.size());
    List<Var> activations = new ArrayList<>();
    Var signal = input;
    for (int l = 0; l < hidden.size(); l++) {
      Var fedBack = state.layers().get(l).h();
      String name = l + 1 < hidden.size() ? "H^" + (l + 2) + "(t-1)" : "Y(t-1)";
      Checks.checkState("DeepJordanCell", name, fedBack, batch, hidden.get(l).feedbackSize());
      signal = applyHidden(l, signal, fedBack, weights);
      activations.add(signal);
    }
    Var y = applyOutput(signal, weights);
    // Layer l reads back layer l + 1: the new state is H^2(t), …, H^{L−1}(t), Y(t).
    List<HiddenState> next = new ArrayList<>();
    for (int l = 1; l < activations.size(); l++) {
      next.add(new HiddenState(activations.get(l)));
    }
    next.add(new HiddenState(y));
    return new Step<>(y, new StackedState<>(ImmutableList.copyOf(next)));
  }
}
