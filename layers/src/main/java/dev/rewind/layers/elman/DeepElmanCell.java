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
 * Note 000's deep RNN with hidden recurrence: L − 1 hidden layers, each fed back into itself, under
 * an output layer L that has no recurrence.
 *
 * <pre>
 *   h^1(t) = φ(U^1ᵀ x(t) + W^1ᵀ h^1(t−1) + b^1)                 first hidden layer
 *   h^l(t) = φ(U^lᵀ h^{l−1}(t) + W^lᵀ h^l(t−1) + b^l)           l = 2, …, L−1
 *   y(t)   = σ(U^Lᵀ h^{L−1}(t) + b^L)                           output layer
 *
 *   H^l(t) = φ(H^{l−1}(t) U^l + H^l(t−1) W^l + b^l),  H^0(t) = X(t)      batch form
 *   Y(t)   = σ(H^{L−1}(t) U^L + b^L)
 * </pre>
 *
 * <p>Layer l of the notes is {@code layers.(l−1)} here, so the parameters are {@code layers.0.U},
 * {@code layers.0.W}, {@code layers.0.b}, …, and the output layer's {@code layers.(L−1).U}, {@code
 * layers.(L−1).b}. The state holds {@code H^1(t), …, H^{L−1}(t)}, lowest first, zero before the
 * first step; each step outputs {@code Y(t)}. With one hidden layer this is the {@link ElmanCell}
 * with an output layer ({@code V = U^2}, {@code c = b^2}).
 */
public final class DeepElmanCell extends DeepCell {

  /** Stacks {@code hidden} (layer 1 first) under {@code output}. */
  public DeepElmanCell(List<HiddenLayer> hidden, OutputLayer output) {
    super(checked(hidden, output), output);
  }

  private static List<HiddenLayer> checked(List<HiddenLayer> hidden, OutputLayer output) {
    checkStack("DeepElmanCell", hidden, output);
    for (int l = 0; l < hidden.size(); l++) {
      HiddenLayer layer = hidden.get(l);
      if (l > 0) {
        checkBelow("DeepElmanCell", hidden, output, l);
      }
      checkArgument(
          layer.feedbackSize() == layer.size(),
          "DeepElmanCell: layers.%s.W has shape %s but the layer's %s units feed back into"
              + " themselves: it must be [%s, %s]",
          l,
          layer.w().shape(),
          layer.size(),
          layer.size(),
          layer.size());
    }
    checkBelow("DeepElmanCell", hidden, output, hidden.size());
    return hidden;
  }

  /**
   * A network of {@code hiddenSizes.size()} hidden layers and an output layer, drawn layer by layer
   * from the lowest with {@link HiddenLayer#random} and {@link OutputLayer#random}.
   */
  public static DeepElmanCell random(
      int inputSize,
      List<Integer> hiddenSizes,
      int outputSize,
      Activation hidden,
      Activation output,
      Random random) {
    List<HiddenLayer> layers = new ArrayList<>();
    int below = inputSize;
    for (int size : hiddenSizes) {
      layers.add(HiddenLayer.random(below, size, size, hidden, random));
      below = size;
    }
    return new DeepElmanCell(layers, OutputLayer.random(below, outputSize, output, random));
  }

  @Override
  public StackedState<HiddenState> initialState(int batchSize) {
    return new StackedState<>(
        ImmutableList.copyOf(
            hidden.stream().map(layer -> HiddenState.zeros(batchSize, layer.size())).toList()));
  }

  @Override
  Step<StackedState<HiddenState>> step(
      Var input, StackedState<HiddenState> state, List<? extends Var> weights) {
    Checks.checkInput("DeepElmanCell", input, "layers.0.U", inputSize());
    int batch = input.shape().dim(0);
    checkArgument(
        state.layers().size() == hidden.size(),
        "DeepElmanCell: the state holds %s layers but the network has %s hidden layers",
        state.layers().size(),
        hidden.size());
    List<HiddenState> next = new ArrayList<>();
    Var signal = input;
    for (int l = 0; l < hidden.size(); l++) {
      Var previous = state.layers().get(l).h();
      Checks.checkState(
          "DeepElmanCell", "H^" + (l + 1) + "(t-1)", previous, batch, hidden.get(l).size());
      signal = applyHidden(l, signal, previous, weights);
      next.add(new HiddenState(signal));
    }
    Var y = applyOutput(signal, weights);
    return new Step<>(y, new StackedState<>(ImmutableList.copyOf(next)));
  }
}
