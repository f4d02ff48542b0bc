package dev.rewind.layers.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Activation;
import dev.rewind.layers.Layer;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.StackedCell;
import dev.rewind.layers.elman.ElmanCell;
import dev.rewind.layers.gru.GruCell;
import dev.rewind.layers.lstm.LstmCell;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Any cell PyTorch has, one layer or stacked, float64 or float32, written as a state dict has
 * PyTorch's names and shapes, and reads back into a cell of the same weights and dtype, bit for
 * bit.
 */
class TorchStateDictRoundTripProperties {

  /** The kinds of cell PyTorch has, with the number G of gate blocks of its weights. */
  enum Kind {
    RNN_TANH(1),
    RNN_RELU(1),
    LSTM(4),
    GRU(3);

    final int gates;

    Kind(int gates) {
      this.gates = gates;
    }

    RecurrentCell<?> random(int inputSize, int hiddenSize, Random random) {
      return switch (this) {
        case RNN_TANH -> ElmanCell.random(inputSize, hiddenSize, Activation.TANH, random);
        case RNN_RELU -> ElmanCell.random(inputSize, hiddenSize, Activation.RELU, random);
        case LSTM -> LstmCell.random(inputSize, hiddenSize, random);
        case GRU -> GruCell.random(inputSize, hiddenSize, random);
      };
    }

    Layer read(ImmutableMap<String, Tensor> stateDict, boolean stacked) {
      Activation activation = this == RNN_RELU ? Activation.RELU : Activation.TANH;
      return switch (this) {
        case RNN_TANH, RNN_RELU ->
            stacked
                ? TorchStateDict.rnn(stateDict, activation)
                : TorchStateDict.rnnLayer(stateDict, 0, activation);
        case LSTM ->
            stacked ? TorchStateDict.lstm(stateDict) : TorchStateDict.lstmLayer(stateDict, 0);
        case GRU -> stacked ? TorchStateDict.gru(stateDict) : TorchStateDict.gruLayer(stateDict, 0);
      };
    }
  }

  @Property(tries = 60, seed = "20240612")
  void writtenStateDictReadsBackIntoTheSameWeightsBitForBit(
      @ForAll Kind kind,
      @ForAll @IntRange(min = 1, max = 3) int layers,
      @ForAll @IntRange(min = 1, max = 4) int inputSize,
      @ForAll @IntRange(min = 1, max = 4) int hiddenSize,
      @ForAll boolean stacked,
      @ForAll DType dtype,
      @ForAll long seed) {
    // Alone, a cell reads back through rnnLayer, lstmLayer or gruLayer; stacked, through rnn and
    // the like.
    Layer cell = ((Layer) cell(kind, layers, inputSize, hiddenSize, stacked, seed)).to(dtype);

    ImmutableMap<String, Tensor> stateDict = TorchStateDict.of((RecurrentCell<?>) cell);
    Layer reread = kind.read(stateDict, stacked);

    for (Tensor value : stateDict.values()) {
      assertEquals(dtype, value.dtype());
    }
    assertEquals(dtype, reread.dtype());
    // Tensor.equals compares dtypes, and float32 elements bit for bit (-0 is not 0; these hold no
    // NaN).
    assertEquals(LayerWeights.values(cell), LayerWeights.values(reread));
  }

  @Property(tries = 60, seed = "20240613")
  void writtenStateDictHasPyTorchsNamesAndShapes(
      @ForAll Kind kind,
      @ForAll @IntRange(min = 1, max = 3) int layers,
      @ForAll @IntRange(min = 1, max = 4) int inputSize,
      @ForAll @IntRange(min = 1, max = 4) int hiddenSize,
      @ForAll long seed) {
    RecurrentCell<?> cell = cell(kind, layers, inputSize, hiddenSize, true, seed);

    ImmutableMap<String, Tensor> stateDict = TorchStateDict.of(cell);

    List<String> names = new ArrayList<>();
    int rows = kind.gates * hiddenSize;
    for (int k = 0; k < layers; k++) {
      String l = "_l" + k;
      names.addAll(List.of("weight_ih" + l, "weight_hh" + l, "bias_ih" + l, "bias_hh" + l));
      int in = k == 0 ? inputSize : hiddenSize;
      assertEquals(Shape.of(rows, in), stateDict.get("weight_ih" + l).shape());
      assertEquals(Shape.of(rows, hiddenSize), stateDict.get("weight_hh" + l).shape());
      assertEquals(Shape.of(rows), stateDict.get("bias_ih" + l).shape());
      assertEquals(Shape.of(rows), stateDict.get("bias_hh" + l).shape());
    }
    assertEquals(names, stateDict.keySet().asList());
  }

  /** A stack of {@code layers} random cells of {@code kind}, or one cell alone. */
  private static RecurrentCell<?> cell(
      Kind kind, int layers, int inputSize, int hiddenSize, boolean stacked, long seed) {
    Random random = new Random(seed);
    if (!stacked) {
      return kind.random(inputSize, hiddenSize, random);
    }
    List<RecurrentCell<?>> cells = new ArrayList<>();
    for (int k = 0; k < layers; k++) {
      cells.add(kind.random(k == 0 ? inputSize : hiddenSize, hiddenSize, random));
    }
    return stack(cells);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static RecurrentCell<?> stack(List<RecurrentCell<?>> cells) {
    return new StackedCell(cells);
  }
}
