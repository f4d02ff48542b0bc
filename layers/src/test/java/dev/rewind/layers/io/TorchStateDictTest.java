package dev.rewind.layers.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import dev.rewind.autodiff.io.Safetensors;
import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Activation;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.RecurrentState;
import dev.rewind.layers.StackedCell;
import dev.rewind.layers.StackedState;
import dev.rewind.layers.lstm.LstmState;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PyTorch's {@code nn.RNN} (tanh, relu), {@code nn.LSTM} and {@code nn.GRU}, one and two layers,
 * loaded from their state dicts, reproduce PyTorch's outputs, final states and the gradients of a
 * fixed loss with respect to every weight, the inputs and the initial state, to 1e-10. The fixtures
 * in {@code src/test/resources/pytorch/} were made by {@code tools/layers-fixtures.py}.
 */
class TorchStateDictTest {
  private static final double TOLERANCE = 1e-10;

  @ParameterizedTest
  @ValueSource(strings = {"rnn_tanh_1", "rnn_tanh_2", "rnn_relu_1", "rnn_relu_2"})
  void rnnReproducesPyTorch(String name) throws IOException {
    Fixture fixture = Fixture.load(name);
    Activation activation = name.contains("relu") ? Activation.RELU : Activation.TANH;
    StackedCell<HiddenState> cell = TorchStateDict.rnn(fixture.stateDict(), activation);

    fixture.check(cell, h0 -> layersOf(h0, l -> new HiddenState(h0.select(0, l))), null);
  }

  @ParameterizedTest
  @ValueSource(strings = {"lstm_1", "lstm_2"})
  void lstmReproducesPyTorch(String name) throws IOException {
    Fixture fixture = Fixture.load(name);
    StackedCell<LstmState> cell = TorchStateDict.lstm(fixture.stateDict());
    Var c0 = Var.constant(fixture.get("c0"));

    fixture.check(
        cell, h0 -> layersOf(h0, l -> new LstmState(h0.select(0, l), c0.select(0, l))), c0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"gru_1", "gru_2"})
  void gruReproducesPyTorch(String name) throws IOException {
    Fixture fixture = Fixture.load(name);
    StackedCell<HiddenState> cell = TorchStateDict.gru(fixture.stateDict());

    fixture.check(cell, h0 -> layersOf(h0, l -> new HiddenState(h0.select(0, l))), null);
  }

  @Test
  void aSingleLayerLoadsAsTheCellItself() throws IOException {
    Fixture lstm = Fixture.load("lstm_1");
    Fixture gru = Fixture.load("gru_1");
    Fixture rnn = Fixture.load("rnn_tanh_1");
    Var input = Var.constant(lstm.get("input"));
    Var h0 = Var.constant(lstm.get("h0").reshape(lstm.get("h0").shape().without(0)));
    Var c0 = Var.constant(lstm.get("c0").reshape(lstm.get("c0").shape().without(0)));

    Tensor output =
        new Recurrent<>(TorchStateDict.lstmLayer(lstm.stateDict(), 0))
            .run(input, new LstmState(h0, c0), null)
            .stacked()
            .value();

    assertClose("output", lstm.get("output"), output);
    assertEquals(4, TorchStateDict.gruLayer(gru.stateDict(), 0).parameters().size());
    assertEquals(
        3, TorchStateDict.rnnLayer(rnn.stateDict(), 0, Activation.TANH).parameters().size());
  }

  @Test
  void entriesOfBidirectionalOrProjectedModulesAreRejectedByName() throws IOException {
    Map<String, Tensor> stateDict = new LinkedHashMap<>(Fixture.load("lstm_1").stateDict());
    stateDict.put("weight_ih_l0_reverse", Tensor.zeros(12, 4));

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TorchStateDict.lstm(stateDict));

    assertEquals(
        "nn.LSTM: 'weight_ih_l0_reverse' is not a weight_ih_lK, weight_hh_lK, bias_ih_lK or"
            + " bias_hh_lK entry (bidirectional modules and proj_size are not supported)",
        e.getMessage());
  }

  @Test
  void aMissingOrMisshapenEntryIsNamed() throws IOException {
    Map<String, Tensor> missing = new LinkedHashMap<>(Fixture.load("gru_2").stateDict());
    missing.remove("weight_hh_l1");
    Map<String, Tensor> lstmAsGru = Fixture.load("lstm_1").stateDict();
    Map<String, Tensor> gap = new LinkedHashMap<>(Fixture.load("rnn_tanh_1").stateDict());
    gap.put("weight_ih_l2", Tensor.zeros(3, 3));

    IllegalArgumentException e1 =
        assertThrows(IllegalArgumentException.class, () -> TorchStateDict.gru(missing));
    IllegalArgumentException e2 =
        assertThrows(IllegalArgumentException.class, () -> TorchStateDict.gru(lstmAsGru));
    IllegalArgumentException e3 =
        assertThrows(
            IllegalArgumentException.class, () -> TorchStateDict.rnn(gap, Activation.TANH));
    IllegalArgumentException e4 =
        assertThrows(
            IllegalArgumentException.class,
            () -> TorchStateDict.rnn(Fixture.load("rnn_tanh_1").stateDict(), Activation.SIGMOID));

    assertEquals("nn.GRU: weight_hh_l1 is missing from the state dict", e1.getMessage());
    assertEquals("nn.GRU: weight_hh_l0 has shape [12, 3] but must be [3·H, H]", e2.getMessage());
    assertEquals(
        "nn.RNN: the layers are [0, 2], not numbered from 0 without a gap", e3.getMessage());
    assertEquals("nn.RNN: nonlinearity is tanh or relu in PyTorch, not SIGMOID", e4.getMessage());
  }

  private static <S extends RecurrentState<S>> StackedState<S> layersOf(
      Var h0, Function<Integer, S> layer) {
    List<S> layers = new ArrayList<>();
    for (int l = 0; l < h0.shape().dim(0); l++) {
      layers.add(layer.apply(l));
    }
    return new StackedState<>(ImmutableList.copyOf(layers));
  }

  private static void assertClose(String what, Tensor expected, Tensor actual) {
    assertEquals(expected.shape(), actual.shape(), what);
    double worst = 0;
    for (int i = 0; i < expected.size(); i++) {
      worst = Math.max(worst, Math.abs(expected.getFlat(i) - actual.getFlat(i)));
    }
    double difference = worst;
    assertTrue(
        difference <= TOLERANCE,
        () ->
            what + " differs from PyTorch's by " + difference + ": " + actual + " vs " + expected);
  }

  /** One PyTorch run: its state dict, inputs, outputs, loss weights and gradients. */
  record Fixture(String name, Map<String, Tensor> tensors) {

    static Fixture load(String name) throws IOException {
      try {
        Path file = Path.of(Fixture.class.getResource("/pytorch/" + name + ".safetensors").toURI());
        return new Fixture(name, Safetensors.read(file));
      } catch (URISyntaxException e) {
        throw new IOException(e);
      }
    }

    Tensor get(String key) {
      Tensor tensor = tensors.get(key);
      assertTrue(tensor != null, () -> name + " has no " + key);
      return tensor;
    }

    /** The entries PyTorch's {@code state_dict()} holds. */
    Map<String, Tensor> stateDict() {
      Map<String, Tensor> stateDict = new LinkedHashMap<>();
      tensors.forEach(
          (key, value) -> {
            if (key.matches("(weight|bias)_(ih|hh)_l[0-9]+")) {
              stateDict.put(key, value);
            }
          });
      return stateDict;
    }

    /**
     * Runs {@code cell} from the fixture's initial state, and compares outputs, final states, the
     * loss and every gradient with PyTorch's; {@code c0} is the LSTM's initial memory, else null.
     */
    <S extends RecurrentState<S>> void check(
        StackedCell<S> cell, Function<Var, StackedState<S>> initial, Var c0) {
      Var input = Var.constant(get("input"));
      Var h0 = Var.constant(get("h0"));
      try (Tape tape = Tape.record()) {
        StackedState<S> start = initial.apply(h0);
        Recurrent.Unrolled<StackedState<S>> run = new Recurrent<>(cell).run(input, start, null);
        Var output = run.stacked();
        List<Var> hs = new ArrayList<>();
        List<Var> cs = new ArrayList<>();
        for (S layer : run.finalState().layers()) {
          if (layer instanceof LstmState lstm) {
            hs.add(lstm.h());
            cs.add(lstm.c());
          } else {
            hs.add(((HiddenState) layer).h());
          }
        }
        Var hn = Var.stack(0, hs);
        Var loss =
            output
                .mul(Var.constant(get("loss.A")))
                .sum()
                .add(hn.mul(Var.constant(get("loss.B"))).sum());
        if (c0 != null) {
          Var cn = Var.stack(0, cs);
          loss = loss.add(cn.mul(Var.constant(get("loss.C"))).sum());
          assertClose(name + " c_n", get("c_n"), cn.value());
        }
        assertClose(name + " output", get("output"), output.value());
        assertClose(name + " h_n", get("h_n"), hn.value());
        assertClose(name + " loss", get("loss"), loss.value());

        List<Var> wrt = new ArrayList<>(List.of(input, h0));
        if (c0 != null) {
          wrt.add(c0);
        }
        wrt.addAll(cell.parameters());
        Gradients gradients = tape.gradient(loss, wrt);
        assertClose(name + " d/d input", get("grad.input"), gradients.tensor(input));
        assertClose(name + " d/d h0", get("grad.h0"), gradients.tensor(h0));
        if (c0 != null) {
          assertClose(name + " d/d c0", get("grad.c0"), gradients.tensor(c0));
        }
        for (Map.Entry<String, Parameter> entry : cell.namedParameters().entrySet()) {
          Tensor ours = gradients.tensor(entry.getValue());
          for (Map.Entry<String, Tensor> theirs : torchGradients(entry.getKey()).entrySet()) {
            assertClose(name + " d/d " + entry.getKey(), theirs.getValue(), ours);
          }
        }
      }
    }

    /**
     * PyTorch's gradients that equal the gradient of our parameter {@code layers.k.name}, in our
     * layout: transposed weights; for Elman's b, the gradients of both PyTorch biases.
     */
    private Map<String, Tensor> torchGradients(String ours) {
      String[] parts = ours.split("\\.");
      String suffix = "_l" + parts[1];
      Map<String, Tensor> result = new LinkedHashMap<>();
      switch (parts[2]) {
        case "weightIh", "U" -> result.put("weight_ih", transposed("grad.weight_ih" + suffix));
        case "weightHh", "W" -> result.put("weight_hh", transposed("grad.weight_hh" + suffix));
        case "biasIh" -> result.put("bias_ih", get("grad.bias_ih" + suffix));
        case "biasHh" -> result.put("bias_hh", get("grad.bias_hh" + suffix));
        case "b" -> {
          result.put("bias_ih", get("grad.bias_ih" + suffix));
          result.put("bias_hh", get("grad.bias_hh" + suffix));
        }
        default -> throw new AssertionError("no PyTorch gradient for " + ours);
      }
      return result;
    }

    private Tensor transposed(String key) {
      return Layout.transpose(get(key), 0, 1);
    }
  }
}
