package dev.rewind.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.io.Safetensors;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An optimizer's state as a value, restored into an optimizer and through a safetensors file. */
class OptimizerStateTest {
  @TempDir Path folder;

  private static final Tensor TARGET = Tensor.vector(1.0, -1.0);

  private static Parameter w() {
    return new Parameter("w", Tensor.vector(0.3, 0.7));
  }

  private static void train(Optimizer optimizer, Parameter w, int steps) {
    for (int i = 0; i < steps; i++) {
      optimizer.step(Problems.quadraticGradients(List.of(w), List.of(TARGET)));
    }
  }

  @Test
  void stateThroughASafetensorsFileContinuesIRpropPlusBitForBit() throws IOException {
    Parameter reference = w();
    Optimizer uninterrupted = Rprop.builder(RpropVariant.IRPROP_PLUS, List.of(reference)).build();
    train(uninterrupted, reference, 25);

    Parameter resumed = w();
    Optimizer before = Rprop.builder(RpropVariant.IRPROP_PLUS, List.of(resumed)).build();
    train(before, resumed, 10);
    Optimizer after = Rprop.builder(RpropVariant.IRPROP_PLUS, List.of(resumed)).build();
    after.restoreState(throughFile(before.exportState()));
    assertTrue(after.exportState().scalars().containsKey("previousLoss"));
    train(after, resumed, 15);

    assertEquals(reference.value(), resumed.value());
  }

  @Test
  void adamStateHoldsBothMomentsPerParameter() {
    Parameter w = w();
    Adam adam = Adam.builder(List.of(w)).build();
    train(adam, w, 2);
    OptimizerState state = adam.exportState();
    assertEquals("Adam", state.optimizer());
    assertEquals(2, state.steps());
    assertEquals(List.of("firstMoment", "secondMoment"), state.slots().get("w").keySet().asList());
  }

  @Test
  void aParameterConvertedAfterItsStateWasMadeIsRefusedUntilTheStateIsConverted() {
    Parameter w = w();
    Adam adam = Adam.builder(List.of(w)).build();
    train(adam, w, 2);
    w.convertTo(DType.FLOAT32);
    ParameterGradients gradients = Problems.quadraticGradients(List.of(w), List.of(TARGET));
    Tensor before = w.value();

    IllegalStateException error =
        assertThrows(IllegalStateException.class, () -> adam.step(gradients));

    assertEquals(
        "Adam: parameter 'w' is float32 but its optimizer state is float64; convert the state with"
            + " restoreState(exportState().to(DType))",
        error.getMessage());
    assertEquals(before, w.value());
    assertEquals(2, adam.steps());
    adam.restoreState(adam.exportState().to(DType.FLOAT32));
    adam.step(gradients);
    assertEquals(DType.FLOAT32, w.dtype());
    assertEquals(DType.FLOAT32, adam.exportState().slots().get("w").get("firstMoment").dtype());
  }

  @Test
  void convertingAStateRoundsEverySlotAndKeepsTheRest() {
    OptimizerState state =
        new OptimizerState(
            "Sgd",
            4,
            ImmutableMap.of("previousLoss", 0.1),
            ImmutableMap.of("w", ImmutableMap.of("momentumBuffer", Tensor.vector(0.1, -2.0))));

    OptimizerState converted = state.to(DType.FLOAT32);

    assertEquals(
        Tensor.ofFloats(TARGET.shape(), 0.1f, -2.0f),
        converted.slots().get("w").get("momentumBuffer"));
    assertEquals(state.scalars(), converted.scalars());
    assertEquals(4, converted.steps());
    assertEquals(
        Tensor.vector(0.1f, -2.0),
        converted.to(DType.FLOAT64).slots().get("w").get("momentumBuffer"),
        "float32 back to float64 is exact");
  }

  @Test
  void restoringAnotherAlgorithmsStateNamesBoth() {
    Parameter w = w();
    Optimizer adam = Adam.builder(List.of(w)).build();
    Optimizer rprop = Rprop.builder(RpropVariant.IRPROP_MINUS, List.of(w)).build();
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> rprop.restoreState(adam.exportState()));
    assertTrue(error.getMessage().contains("from Adam"), error.getMessage());
    assertTrue(error.getMessage().contains("Rprop(iRprop-)"), error.getMessage());
    Optimizer otherVariant = Rprop.builder(RpropVariant.RPROP_PLUS, List.of(w)).build();
    assertThrows(
        IllegalArgumentException.class, () -> otherVariant.restoreState(rprop.exportState()));
  }

  @Test
  void restoringStateOfAnUnknownParameterNamesIt() {
    Parameter w = w();
    Optimizer sgd = Sgd.builder(List.of(w)).learningRate(0.1).momentum(0.5).build();
    OptimizerState foreign =
        new OptimizerState(
            "Sgd",
            1,
            ImmutableMap.of(),
            ImmutableMap.of("v", ImmutableMap.of("momentumBuffer", Tensor.zeros(2))));
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> sgd.restoreState(foreign));
    assertTrue(error.getMessage().contains("parameter 'v'"), error.getMessage());
  }

  @Test
  void restoringASlotOfTheWrongShapeNamesBothShapes() {
    Parameter w = w();
    Optimizer sgd = Sgd.builder(List.of(w)).learningRate(0.1).momentum(0.5).build();
    OptimizerState wrong =
        new OptimizerState(
            "Sgd",
            1,
            ImmutableMap.of(),
            ImmutableMap.of("w", ImmutableMap.of("momentumBuffer", Tensor.zeros(3))));
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> sgd.restoreState(wrong));
    assertTrue(error.getMessage().contains("[3]"), error.getMessage());
    assertTrue(error.getMessage().contains("[2]"), error.getMessage());
  }

  @Test
  void restoringStateThatLacksAParameterNamesIt() {
    Parameter w = w();
    Parameter u = new Parameter("u", Tensor.zeros(1));
    Optimizer adam = Adam.builder(List.of(w, u)).build();
    OptimizerState partial =
        new OptimizerState(
            "Adam",
            3,
            ImmutableMap.of(),
            ImmutableMap.of(
                "w",
                ImmutableMap.of("firstMoment", Tensor.zeros(2), "secondMoment", Tensor.zeros(2))));
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> adam.restoreState(partial));
    assertTrue(error.getMessage().contains("parameter 'u'"), error.getMessage());
  }

  @Test
  void failedRestoreLeavesTheStateAsItWas() {
    Parameter w = w();
    Optimizer adam = Adam.builder(List.of(w)).build();
    train(adam, w, 3);
    OptimizerState before = adam.exportState();
    OptimizerState wrong =
        new OptimizerState(
            "Adam",
            9,
            ImmutableMap.of(),
            ImmutableMap.of("w", ImmutableMap.of("firstMoment", Tensor.zeros(5))));
    assertThrows(IllegalArgumentException.class, () -> adam.restoreState(wrong));
    assertEquals(before, adam.exportState());
  }

  @Test
  void scalarsComeBackWithTheirExactBits() throws IOException {
    ImmutableMap<String, Double> scalars =
        ImmutableMap.of(
            "negativeZero",
            -0.0,
            "nan",
            Double.longBitsToDouble(0x7ff8_0000_0000_0123L),
            "tiny",
            Double.MIN_VALUE);
    OptimizerState state = new OptimizerState("Custom", 3, scalars, ImmutableMap.of());

    OptimizerState read = throughFile(state);

    for (String name : scalars.keySet()) {
      assertEquals(
          Double.doubleToRawLongBits(scalars.get(name)),
          Double.doubleToRawLongBits(read.scalars().get(name)),
          name);
    }
  }

  @Test
  void slotNamesSplitAtTheLastDotSoParameterPathsKeepTheirDots() throws IOException {
    OptimizerState state =
        new OptimizerState(
            "Sgd",
            1,
            ImmutableMap.of(),
            ImmutableMap.of(
                "layers.0.weightIh", ImmutableMap.of("momentumBuffer", Tensor.vector(1, 2))));

    assertEquals(
        List.of("layers.0.weightIh.momentumBuffer"),
        OptimizerStateTensors.tensors(state).keySet().asList());
    assertEquals(state, throughFile(state));
  }

  @Test
  void aSlotNameWithADotIsRefusedBeforeAnythingIsWritten() {
    OptimizerState state =
        new OptimizerState(
            "Sgd", 1, ImmutableMap.of(), ImmutableMap.of("w", ImmutableMap.of("a.b", TARGET)));

    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> OptimizerStateTensors.tensors(state));

    assertTrue(error.getMessage().contains("slot 'a.b'"), error.getMessage());
  }

  @Test
  void malformedMetadataIsRefusedNamingTheKeyAndTheValue() {
    ImmutableMap<String, Tensor> none = ImmutableMap.of();

    IllegalArgumentException steps =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                OptimizerStateTensors.fromTensors(
                    none, ImmutableMap.of("optimizer", "Sgd", "optimizer_steps", "-1")));
    IllegalArgumentException scalar =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                OptimizerStateTensors.fromTensors(
                    none,
                    ImmutableMap.of(
                        "optimizer", "Sgd", "optimizer_steps", "1", "optimizer_scalar.x", "1.5")));
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> OptimizerStateTensors.fromTensors(none, ImmutableMap.of("optimizer", "Sgd")));

    assertEquals(
        "optimizer state: metadata 'optimizer_steps' is '-1', not a non-negative 64-bit integer",
        steps.getMessage());
    assertEquals(
        "optimizer state: metadata 'optimizer_scalar.x' is '1.5', not 0x and 16 hex digits",
        scalar.getMessage());
    assertEquals("optimizer state: the metadata has no 'optimizer_steps'", missing.getMessage());
  }

  @Test
  void aTensorThatIsNotASlotIsRefusedNamingIt() {
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                OptimizerStateTensors.fromTensors(
                    ImmutableMap.of("w.", TARGET),
                    ImmutableMap.of("optimizer", "Sgd", "optimizer_steps", "1")));

    assertEquals(
        "optimizer state: tensor 'w.' is not named '<parameter>.<slot>'", error.getMessage());
  }

  /** {@code state} written to a safetensors file and read back. */
  private OptimizerState throughFile(OptimizerState state) throws IOException {
    Path file = folder.resolve("state.safetensors");
    Safetensors.write(
        file, OptimizerStateTensors.tensors(state), OptimizerStateTensors.metadata(state));
    Safetensors.Contents contents = Safetensors.readContents(file);
    return OptimizerStateTensors.fromTensors(contents.tensors(), contents.metadata());
  }
}
