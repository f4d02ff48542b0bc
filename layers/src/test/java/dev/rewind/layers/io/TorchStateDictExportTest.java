package dev.rewind.layers.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.io.Safetensors;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Activation;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.RecurrentState;
import dev.rewind.layers.StackedCell;
import dev.rewind.layers.StackedState;
import dev.rewind.layers.elman.ElmanCell;
import dev.rewind.layers.elman.JordanCell;
import dev.rewind.layers.gru.GruCell;
import dev.rewind.layers.lstm.LstmCell;
import dev.rewind.layers.lstm.LstmState;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cells written as PyTorch state dicts, in both directions of proof:
 *
 * <ul>
 *   <li>PyTorch to Rewind and back: a state dict PyTorch wrote ({@code pytorch/*.safetensors}),
 *       read into cells and written again, is the same state dict bit for bit ({@code nn.LSTM},
 *       {@code nn.GRU}), or for {@code nn.RNN} has the same weights and the two biases summed into
 *       {@code bias_ih}, and still reproduces PyTorch's outputs to 1e-12. This proves that writing
 *       inverts reading; PyTorch itself takes no part.
 *   <li>Rewind to PyTorch: files Rewind wrote ({@code pytorch/exported/<case>.safetensors}, by
 *       {@link ExportedFixtures}) were loaded by {@code tools/layers-fixtures.py} into PyTorch
 *       modules with {@code load_state_dict(strict=True)}, and what PyTorch then held and computed
 *       is in {@code <case>.torch.safetensors}: PyTorch's state dict equals Rewind's bit for bit,
 *       and the cells compute PyTorch's outputs and final states to 1e-12.
 * </ul>
 *
 * <p>Cells PyTorch has no module for are refused, naming the cell and its layer.
 */
class TorchStateDictExportTest {
  private static final double TOLERANCE = 1e-12;

  @TempDir Path folder;

  @ParameterizedTest
  @ValueSource(strings = {"lstm_1", "lstm_2", "gru_1", "gru_2"})
  void aPyTorchLstmOrGruStateDictIsWrittenBackBitForBit(String name) throws IOException {
    Map<String, Tensor> stateDict = TorchStateDictTest.Fixture.load(name).stateDict();
    RecurrentCell<?> cell =
        name.startsWith("lstm") ? TorchStateDict.lstm(stateDict) : TorchStateDict.gru(stateDict);

    ImmutableMap<String, Tensor> written = TorchStateDict.of(cell);

    assertEquals(ImmutableList.copyOf(stateDict.keySet()), written.keySet().asList());
    assertEquals(stateDict, written);
  }

  @ParameterizedTest
  @ValueSource(strings = {"rnn_tanh_1", "rnn_tanh_2", "rnn_relu_1", "rnn_relu_2"})
  void aPyTorchRnnStateDictIsWrittenBackWithItsBiasesSummedAndComputesTheSame(String name)
      throws IOException {
    TorchStateDictTest.Fixture fixture = TorchStateDictTest.Fixture.load(name);
    Map<String, Tensor> stateDict = fixture.stateDict();
    Activation activation = name.contains("relu") ? Activation.RELU : Activation.TANH;

    ImmutableMap<String, Tensor> written =
        TorchStateDict.of(TorchStateDict.rnn(stateDict, activation));

    assertEquals(ImmutableList.copyOf(stateDict.keySet()), written.keySet().asList());
    for (int k = 0; written.containsKey("weight_ih_l" + k); k++) {
      String l = "_l" + k;
      assertEquals(stateDict.get("weight_ih" + l), written.get("weight_ih" + l));
      assertEquals(stateDict.get("weight_hh" + l), written.get("weight_hh" + l));
      Tensor sum = Pointwise.add(stateDict.get("bias_ih" + l), stateDict.get("bias_hh" + l));
      assertEquals(sum, written.get("bias_ih" + l));
      assertEquals(Tensor.zeros(sum.shape()), written.get("bias_hh" + l));
    }
    StackedCell<HiddenState> reread = TorchStateDict.rnn(written, activation);
    List<Tensor> run =
        run(reread, fixture.get("input"), hidden(fixture.get("h0")), fixture.get("h0"));
    assertClose(name + " output", fixture.get("output"), run.get(0));
    assertClose(name + " h_n", fixture.get("h_n"), run.get(1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"rnn_tanh_1", "rnn_relu_2", "lstm_1", "lstm_2", "gru_1", "gru_2"})
  void pyTorchLoadsTheWrittenStateDictStrictlyAndComputesWhatTheCellComputes(String name)
      throws IOException {
    RecurrentCell<?> cell = ExportedFixtures.cells().get(name);
    ImmutableMap<String, Tensor> written = TorchStateDict.of(cell);
    Map<String, Tensor> committed = read("exported/" + name + ".safetensors");
    Map<String, Tensor> torch = read("exported/" + name + ".torch.safetensors");
    Map<String, Tensor> loaded = withPrefix(torch, "state_dict.");

    assertEquals(written, committed, "the committed file is what TorchStateDict.of writes now");
    assertEquals(written.keySet().asList(), ImmutableList.copyOf(loaded.keySet()));
    assertEquals(written, loaded, "PyTorch's state_dict() after load_state_dict(strict=True)");
    Tensor h0 = torch.get("h0");
    Tensor c0 = torch.get("c0");
    List<Tensor> run =
        c0 == null
            ? run(stacked(cell), torch.get("input"), hidden(h0), h0)
            : run(stacked(cell), torch.get("input"), lstm(h0, c0), h0);
    assertClose(name + " output", torch.get("output"), run.get(0));
    assertClose(name + " h_n", torch.get("h_n"), run.get(1));
    if (c0 != null) {
      assertClose(name + " c_n", torch.get("c_n"), run.get(2));
    }
  }

  @Test
  void aSingleCellIsLayerZeroWithItsWeightsTransposed() {
    ElmanCell elman = ElmanCell.random(4, 3, Activation.TANH, new Random(1));
    GruCell gru = GruCell.random(4, 3, new Random(2));

    ImmutableMap<String, Tensor> rnn = TorchStateDict.of(elman);
    ImmutableMap<String, Tensor> gruDict = TorchStateDict.of(gru);

    assertEquals(
        List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"), rnn.keySet().asList());
    assertEquals(elman.u().value().get(1, 2), rnn.get("weight_ih_l0").get(2, 1));
    assertEquals(elman.w().value().get(0, 2), rnn.get("weight_hh_l0").get(2, 0));
    assertEquals(elman.b().value(), rnn.get("bias_ih_l0"));
    assertEquals(Tensor.zeros(3), rnn.get("bias_hh_l0"));
    assertEquals("[9, 4]", gruDict.get("weight_ih_l0").shape().toString());
    assertEquals("[9, 3]", gruDict.get("weight_hh_l0").shape().toString());
  }

  @Test
  void anElmanOutputLayerIsNotWritten() {
    ElmanCell recurrent = ElmanCell.random(4, 3, Activation.TANH, new Random(1));
    ElmanCell withOutput =
        recurrent.withOutput(Tensor.ones(3, 2), Tensor.ones(2), Activation.IDENTITY);
    ElmanCell bottom = ElmanCell.random(2, 4, Activation.TANH, new Random(2));
    ElmanCell top = ElmanCell.random(4, 4, Activation.TANH, new Random(3));
    StackedCell<HiddenState> outputOnTop =
        new StackedCell<>(
            bottom, top.withOutput(Tensor.ones(4, 2), Tensor.ones(2), Activation.IDENTITY));

    assertEquals(TorchStateDict.of(recurrent), TorchStateDict.of(withOutput));
    assertEquals(TorchStateDict.of(new StackedCell<>(bottom, top)), TorchStateDict.of(outputOnTop));
  }

  @Test
  void saveWritesTheStateDictWithThePyTorchModuleInItsMetadata() throws IOException {
    StackedCell<HiddenState> cell =
        new StackedCell<>(
            ElmanCell.random(5, 2, Activation.RELU, new Random(1)),
            ElmanCell.random(2, 2, Activation.RELU, new Random(2)));
    Path file = folder.resolve("rnn.safetensors");

    TorchStateDict.save(cell, file);

    Safetensors.Contents contents = Safetensors.readContents(file);
    assertEquals(TorchStateDict.of(cell), contents.tensors());
    assertEquals(
        ImmutableMap.of(
            "module", "nn.RNN",
            "input_size", "5",
            "hidden_size", "2",
            "num_layers", "2",
            "nonlinearity", "relu"),
        contents.metadata());
    TorchStateDict.save(LstmCell.random(3, 4, new Random(3)), file);
    assertEquals(
        ImmutableMap.of(
            "module", "nn.LSTM", "input_size", "3", "hidden_size", "4", "num_layers", "1"),
        Safetensors.readContents(file).metadata());
  }

  @Test
  void aFloat32CellIsWrittenAsF32AndReadBackBitForBit() throws IOException {
    StackedCell<LstmState> cell =
        new StackedCell<>(
            LstmCell.random(3, 4, new Random(1)), LstmCell.random(4, 4, new Random(2)));
    cell.to(DType.FLOAT32);
    StackedCell<HiddenState> elman =
        new StackedCell<>(ElmanCell.random(2, 3, Activation.TANH, new Random(3)));
    elman.to(DType.FLOAT32);
    Path file = folder.resolve("lstm32.safetensors");
    Path elmanFile = folder.resolve("rnn32.safetensors");

    TorchStateDict.save(cell, file);
    TorchStateDict.save(elman, elmanFile);
    StackedCell<LstmState> reread = TorchStateDict.lstm(Safetensors.read(file));
    StackedCell<HiddenState> elmanReread =
        TorchStateDict.rnn(Safetensors.read(elmanFile), Activation.TANH);

    assertEquals(
        List.of(DType.FLOAT32),
        Safetensors.readHeader(file).dtypes().values().stream().distinct().toList());
    assertEquals(DType.FLOAT32, reread.dtype());
    // Tensor.equals compares dtypes, and float32 elements bit for bit (these hold no NaN).
    assertEquals(LayerWeights.values(cell), LayerWeights.values(reread));
    assertEquals(
        Tensor.zeros(Shape.of(3), DType.FLOAT32), Safetensors.read(elmanFile).get("bias_hh_l0"));
    assertEquals(LayerWeights.values(elman), LayerWeights.values(elmanReread));
  }

  @Test
  void aFloat32FileLoadsIntoAFloat64CellAndTheOtherWayConverted() throws IOException {
    LstmCell float32 = LstmCell.random(2, 3, new Random(1));
    float32.to(DType.FLOAT32);
    LstmCell float64 = LstmCell.random(2, 3, new Random(2));
    Path float32File = folder.resolve("lstm32.safetensors");
    Path float64File = folder.resolve("lstm64.safetensors");
    TorchStateDict.save(float32, float32File);
    TorchStateDict.save(float64, float64File);
    LstmCell widened = LstmCell.random(2, 3, new Random(3));
    LstmCell rounded = LstmCell.random(2, 3, new Random(4));
    rounded.to(DType.FLOAT32);

    LstmCell read32 = TorchStateDict.lstmLayer(Safetensors.read(float32File), 0);
    LstmCell read64 = TorchStateDict.lstmLayer(Safetensors.read(float64File), 0);
    LayerWeights.assign(widened, LayerWeights.values(read32));
    LayerWeights.assign(rounded, LayerWeights.values(read64));

    assertEquals(DType.FLOAT64, widened.dtype());
    assertEquals(DType.FLOAT32, rounded.dtype());
    for (String name : float32.namedParameters().keySet()) {
      Tensor single = float32.namedParameters().get(name).value();
      Tensor dual = float64.namedParameters().get(name).value();
      assertEquals(single.to(DType.FLOAT64), widened.namedParameters().get(name).value(), name);
      assertEquals(dual.to(DType.FLOAT32), rounded.namedParameters().get(name).value(), name);
    }
  }

  @Test
  void aStateDictOfTwoDtypesIsRefusedNamingTwoEntries() {
    Map<String, Tensor> stateDict =
        new LinkedHashMap<>(TorchStateDict.of(GruCell.random(2, 3, new Random(1))));
    stateDict.put("bias_hh_l0", stateDict.get("bias_hh_l0").to(DType.FLOAT32));

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TorchStateDict.gru(stateDict));

    assertEquals(
        "nn.GRU: weight_ih_l0 is float64 but bias_hh_l0 is float32; the state dict of a module has"
            + " one dtype",
        e.getMessage());
  }

  @Test
  void aCellPyTorchLacksIsRefusedBeforeAnythingIsWritten() {
    Path file = folder.resolve("gru.safetensors");
    GruCell resetBefore = GruCell.random(GruCell.Form.RESET_BEFORE, 2, 3, new Random(1));

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TorchStateDict.save(resetBefore, file));

    assertEquals(
        "GruCell: the form RESET_BEFORE (the reset gate applied to h(t-1) before W_hn) has no"
            + " counterpart in PyTorch's nn.GRU, which is RESET_AFTER",
        e.getMessage());
    assertFalse(Files.exists(file));
  }

  @Test
  void lstmFormsPyTorchLacksAreRefusedNamingTheForm() {
    LstmCell peepholes =
        LstmCell.random(LstmCell.Options.standard().withPeepholes(), 2, 3, new Random(1));
    LstmCell original = LstmCell.random(LstmCell.Options.original1997(), 2, 3, new Random(2));
    LstmCell both =
        LstmCell.random(LstmCell.Options.original1997().withPeepholes(), 2, 3, new Random(3));

    assertEquals(
        "LstmCell: the form FORGET_GATE with peepholes has no counterpart in PyTorch's nn.LSTM,"
            + " which has a forget gate and no peepholes (LstmCell.Options.standard())",
        refusal(peepholes));
    assertEquals(
        "LstmCell: the form NO_FORGET_GATE (the 1997 cell, without a forget gate) has no"
            + " counterpart in PyTorch's nn.LSTM, which has a forget gate and no peepholes"
            + " (LstmCell.Options.standard())",
        refusal(original));
    assertEquals(
        "LstmCell: the form NO_FORGET_GATE (the 1997 cell, without a forget gate) with peepholes"
            + " has no counterpart in PyTorch's nn.LSTM, which has a forget gate and no peepholes"
            + " (LstmCell.Options.standard())",
        refusal(both));
  }

  @Test
  void otherCellsAndActivationsAreRefusedNamingTheCell() {
    JordanCell jordan =
        JordanCell.random(2, 3, 2, Activation.TANH, Activation.IDENTITY, new Random(1));
    ElmanCell sigmoid = ElmanCell.random(2, 3, Activation.SIGMOID, new Random(2));

    assertEquals(
        "JordanCell: has no counterpart in PyTorch; only an ElmanCell, LstmCell or GruCell, or a"
            + " StackedCell of one kind of them, can be written as a PyTorch state dict",
        refusal(jordan));
    assertEquals(
        "ElmanCell: the hidden activation SIGMOID has no counterpart in PyTorch's nn.RNN, whose"
            + " nonlinearity is tanh or relu",
        refusal(sigmoid));
  }

  @Test
  void stacksPyTorchCannotExpressAreRefusedNamingTheLayer() {
    Random random = new Random(1);
    StackedCell<HiddenState> mixed =
        new StackedCell<>(
            ElmanCell.random(2, 3, Activation.TANH, random), GruCell.random(3, 3, random));
    StackedCell<HiddenState> activations =
        new StackedCell<>(
            ElmanCell.random(2, 3, Activation.TANH, random),
            ElmanCell.random(3, 3, Activation.RELU, random));
    StackedCell<LstmState> sizes =
        new StackedCell<>(LstmCell.random(2, 3, random), LstmCell.random(3, 4, random));
    StackedCell<HiddenState> outputBelow =
        new StackedCell<>(
            ElmanCell.random(2, 3, 3, Activation.TANH, Activation.TANH, random),
            ElmanCell.random(3, 3, Activation.TANH, random));
    StackedCell<HiddenState> unconnected =
        new StackedCell<>(GruCell.random(2, 3, random), GruCell.random(2, 3, random));
    StackedCell<LstmState> peepholesAbove =
        new StackedCell<>(
            LstmCell.random(2, 3, random),
            LstmCell.random(LstmCell.Options.standard().withPeepholes(), 3, 3, random));

    assertEquals(
        "GruCell (layer 1 of the StackedCell): differs in kind from layer 0 (ElmanCell); a"
            + " PyTorch module's layers are of one kind",
        refusal(mixed));
    assertEquals(
        "ElmanCell (layer 1 of the StackedCell): has the hidden activation RELU where layer 0 has"
            + " TANH; nn.RNN has one nonlinearity",
        refusal(activations));
    assertEquals(
        "LstmCell (layer 1 of the StackedCell): has 4 hidden units where layer 0 has 3; PyTorch"
            + " gives every layer the same hidden_size",
        refusal(sizes));
    assertEquals(
        "ElmanCell (layer 0 of the StackedCell): has an output layer (V, c) that feeds the layer"
            + " above, which nn.RNN cannot express; only the top layer may have one (and it is not"
            + " written)",
        refusal(outputBelow));
    assertEquals(
        "GruCell (layer 1 of the StackedCell): reads 2 inputs where the layer below has 3 hidden"
            + " units",
        refusal(unconnected));
    assertEquals(
        "LstmCell (layer 1 of the StackedCell): the form FORGET_GATE with peepholes has no"
            + " counterpart in PyTorch's nn.LSTM, which has a forget gate and no peepholes"
            + " (LstmCell.Options.standard())",
        refusal(peepholesAbove));
  }

  private static String refusal(RecurrentCell<?> cell) {
    return assertThrows(IllegalArgumentException.class, () -> TorchStateDict.of(cell)).getMessage();
  }

  /**
   * Runs {@code cell} over {@code input} from layer l's state {@code initial(l)}, for each layer of
   * {@code h0 [L, batch, H]}: the output, h_n and, for LSTM, c_n.
   */
  private static <S extends RecurrentState<S>> List<Tensor> run(
      StackedCell<S> cell, Tensor input, Function<Integer, S> initial, Tensor h0) {
    List<S> layers = new ArrayList<>();
    for (int l = 0; l < h0.shape().dim(0); l++) {
      layers.add(initial.apply(l));
    }
    StackedState<S> start = new StackedState<>(ImmutableList.copyOf(layers));
    Recurrent.Unrolled<StackedState<S>> unrolled =
        new Recurrent<>(cell).run(Var.constant(input), start, null);
    List<Var> hs = new ArrayList<>();
    List<Var> cs = new ArrayList<>();
    for (S layer : unrolled.finalState().layers()) {
      if (layer instanceof LstmState lstm) {
        hs.add(lstm.h());
        cs.add(lstm.c());
      } else {
        hs.add(((HiddenState) layer).h());
      }
    }
    List<Tensor> result = new ArrayList<>();
    result.add(unrolled.stacked().value());
    result.add(Var.stack(0, hs).value());
    if (!cs.isEmpty()) {
      result.add(Var.stack(0, cs).value());
    }
    return result;
  }

  private static Function<Integer, HiddenState> hidden(Tensor h0) {
    return l -> new HiddenState(Var.constant(h0).select(0, l));
  }

  private static Function<Integer, LstmState> lstm(Tensor h0, Tensor c0) {
    return l -> new LstmState(Var.constant(h0).select(0, l), Var.constant(c0).select(0, l));
  }

  /** {@code cell} itself if it is a stack, else a stack of one layer holding it. */
  @SuppressWarnings("unchecked")
  private static <S extends RecurrentState<S>> StackedCell<S> stacked(RecurrentCell<?> cell) {
    return cell instanceof StackedCell<?> stack
        ? (StackedCell<S>) stack
        : new StackedCell<>((RecurrentCell<S>) cell);
  }

  private static Map<String, Tensor> read(String resource) throws IOException {
    try {
      return Safetensors.read(
          Path.of(TorchStateDictExportTest.class.getResource("/pytorch/" + resource).toURI()));
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
  }

  private static Map<String, Tensor> withPrefix(Map<String, Tensor> tensors, String prefix) {
    ImmutableMap.Builder<String, Tensor> result = ImmutableMap.builder();
    tensors.forEach(
        (key, value) -> {
          if (key.startsWith(prefix)) {
            result.put(key.substring(prefix.length()), value);
          }
        });
    return result.buildOrThrow();
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
}
