package dev.rewind.layers.elman;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Activation;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.RecurrentCell;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The deep Elman and deep Jordan networks compute exactly the equations of note
 * 000_a414762ec7da5e42.txt, written out here with plain doubles; with one hidden layer they are the
 * Elman and Jordan cells; their parameters are named {@code layers.<l−1>.U} and so on.
 */
class DeepCellsTest {
  private static final double EXACT = 1e-12;

  private final Random random = new Random(2024);
  private final Tensor inputs = Tensor.randomNormal(Shape.of(2, 5, 3), 0, 1, random);

  @Test
  void deepElmanFollowsTheNotesEquations() {
    DeepElmanCell cell =
        DeepElmanCell.random(3, List.of(4, 2), 2, Activation.TANH, Activation.SIGMOID, random);
    HiddenLayer first = cell.hiddenLayers().get(0);
    HiddenLayer second = cell.hiddenLayers().get(1);
    OutputLayer output = cell.outputLayer();

    Tensor outputs = new Recurrent<>(cell).run(Var.constant(inputs)).stacked().value();

    for (int p = 0; p < 2; p++) {
      double[] h1 = new double[4];
      double[] h2 = new double[2];
      for (int t = 0; t < 5; t++) {
        // h^1(t) = φ(U^1ᵀ x(t) + W^1ᵀ h^1(t−1) + b^1), h^2(t) = φ(U^2ᵀ h^1(t) + W^2ᵀ h^2(t−1) +
        // b^2)
        h1 = layer(first.u(), row(inputs, p, t), first.w(), h1, first.b(), Math::tanh);
        h2 = layer(second.u(), h1, second.w(), h2, second.b(), Math::tanh);
        // y(t) = σ(U^3ᵀ h^2(t) + b^3)
        double[] y = layer(output.u(), h2, null, null, output.b(), DeepCellsTest::sigmoid);
        for (int k = 0; k < 2; k++) {
          assertEquals(y[k], outputs.get(p, t, k), EXACT);
        }
      }
    }
  }

  @Test
  void deepJordanFollowsTheNotesEquations() {
    // Three hidden layers: the first, one middle layer (l = 2, …, L−2) and the last.
    DeepJordanCell cell =
        DeepJordanCell.random(3, List.of(4, 2, 3), 2, Activation.TANH, Activation.SIGMOID, random);
    HiddenLayer first = cell.hiddenLayers().get(0);
    HiddenLayer middle = cell.hiddenLayers().get(1);
    HiddenLayer last = cell.hiddenLayers().get(2);
    OutputLayer output = cell.outputLayer();

    Tensor outputs = new Recurrent<>(cell).run(Var.constant(inputs)).stacked().value();

    for (int p = 0; p < 2; p++) {
      double[] h2 = new double[2];
      double[] h3 = new double[3];
      double[] y = new double[2];
      for (int t = 0; t < 5; t++) {
        // h^1(t) = φ(U^1ᵀ x(t) + W^1ᵀ h^2(t−1) + b^1)
        double[] h1 = layer(first.u(), row(inputs, p, t), first.w(), h2, first.b(), Math::tanh);
        // h^2(t) = φ(U^2ᵀ h^1(t) + W^2ᵀ h^3(t−1) + b^2)
        h2 = layer(middle.u(), h1, middle.w(), h3, middle.b(), Math::tanh);
        // h^3(t) = φ(U^3ᵀ h^2(t) + W^3ᵀ y(t−1) + b^3)
        h3 = layer(last.u(), h2, last.w(), y, last.b(), Math::tanh);
        // y(t) = σ(U^4ᵀ h^3(t) + b^4)
        y = layer(output.u(), h3, null, null, output.b(), DeepCellsTest::sigmoid);
        for (int k = 0; k < 2; k++) {
          assertEquals(y[k], outputs.get(p, t, k), EXACT);
        }
      }
    }
  }

  @Test
  void deepElmanWithOneHiddenLayerIsTheElmanCell() {
    assertOneHiddenLayerIs(
        DeepElmanCell.random(3, List.of(4), 2, Activation.TANH, Activation.SOFTMAX, random),
        ElmanCell::new,
        Activation.SOFTMAX);
  }

  @Test
  void deepJordanWithOneHiddenLayerIsTheJordanCell() {
    assertOneHiddenLayerIs(
        DeepJordanCell.random(3, List.of(4), 2, Activation.TANH, Activation.SIGMOID, random),
        JordanCell::new,
        Activation.SIGMOID);
  }

  /** A one-layer cell built from the weights and activations of a deep cell's only layers. */
  private interface ShallowCell {
    RecurrentCell<HiddenState> of(
        Tensor u, Tensor w, Tensor b, Activation hidden, Tensor v, Tensor c, Activation output);
  }

  /**
   * {@code deep}, of one tanh hidden layer, gives exactly the outputs of the cell {@code shallow}
   * builds from its weights.
   */
  private void assertOneHiddenLayerIs(DeepCell deep, ShallowCell shallow, Activation output) {
    HiddenLayer hidden = deep.hiddenLayers().get(0);
    RecurrentCell<HiddenState> cell =
        shallow.of(
            hidden.u().value(),
            hidden.w().value(),
            hidden.b().value(),
            Activation.TANH,
            deep.outputLayer().u().value(),
            deep.outputLayer().b().value(),
            output);

    assertEquals(
        new Recurrent<>(cell).run(Var.constant(inputs)).stacked().value(),
        new Recurrent<>(deep).run(Var.constant(inputs)).stacked().value());
  }

  @Test
  void layersAreNamedAsPyTorchPrefixesThem() {
    DeepElmanCell elman =
        DeepElmanCell.random(3, List.of(4, 5), 2, Activation.TANH, Activation.IDENTITY, random);
    DeepJordanCell jordan =
        DeepJordanCell.random(3, List.of(4, 5), 2, Activation.TANH, Activation.IDENTITY, random);
    List<String> names =
        List.of(
            "layers.0.U",
            "layers.0.W",
            "layers.0.b",
            "layers.1.U",
            "layers.1.W",
            "layers.1.b",
            "layers.2.U",
            "layers.2.b");

    assertEquals(names, List.copyOf(elman.namedParameters().keySet()));
    assertEquals(names, List.copyOf(jordan.namedParameters().keySet()));
    assertEquals(
        List.of(
            Shape.of(3, 4),
            Shape.of(4, 4),
            Shape.of(4),
            Shape.of(4, 5),
            Shape.of(5, 5),
            Shape.of(5),
            Shape.of(5, 2),
            Shape.of(2)),
        elman.parameters().stream().map(Var::shape).toList());
    // Jordan: layer l reads back layer l + 1, so W^l is [size(l+1), size(l)].
    assertEquals(
        List.of(
            Shape.of(3, 4),
            Shape.of(5, 4),
            Shape.of(4),
            Shape.of(4, 5),
            Shape.of(2, 5),
            Shape.of(5),
            Shape.of(5, 2),
            Shape.of(2)),
        jordan.parameters().stream().map(Var::shape).toList());
  }

  @Test
  void theDeepJordanStateHoldsWhatEachLayerReadsBack() {
    DeepJordanCell cell =
        DeepJordanCell.random(3, List.of(4, 5), 2, Activation.TANH, Activation.SIGMOID, random);

    List<Shape> state =
        cell.initialState(7).layers().stream().map(layer -> layer.h().shape()).toList();

    assertEquals(List.of(Shape.of(7, 5), Shape.of(7, 2)), state); // H^2(t−1), Y(t−1)
  }

  /** {@code φ(Uᵀ below + Wᵀ fedBack + b)} with plain doubles; W and fedBack may be null. */
  private static double[] layer(
      Var u, double[] below, Var w, double[] fedBack, Var b, DoubleUnaryOperator phi) {
    int size = b.shape().dim(0);
    double[] result = new double[size];
    for (int j = 0; j < size; j++) {
      double z = b.value().get(j);
      for (int i = 0; i < below.length; i++) {
        z += u.value().get(i, j) * below[i];
      }
      if (w != null) {
        for (int i = 0; i < fedBack.length; i++) {
          z += w.value().get(i, j) * fedBack[i];
        }
      }
      result[j] = phi.applyAsDouble(z);
    }
    return result;
  }

  private static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  private static double[] row(Tensor sequences, int p, int t) {
    double[] result = new double[sequences.shape().dim(2)];
    for (int i = 0; i < result.length; i++) {
      result[i] = sequences.get(p, t, i);
    }
    return result;
  }
}
