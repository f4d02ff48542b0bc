package dev.rewind.layers.elman;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.common.collect.ImmutableList;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Activation;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.StackedState;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A wrong input or state, or weights that do not fit, fail where the mistake is made, with a
 * message naming the module, the parameter and the sizes.
 */
class BadInputTest {
  private final Random random = new Random(3);
  private final ElmanCell elman =
      ElmanCell.random(3, 4, 2, Activation.TANH, Activation.TANH, random);
  private final JordanCell jordan =
      JordanCell.random(3, 4, 2, Activation.TANH, Activation.SIGMOID, random);
  private final DeepElmanCell deepElman =
      DeepElmanCell.random(3, List.of(4, 5), 2, Activation.TANH, Activation.TANH, random);
  private final DeepJordanCell deepJordan =
      DeepJordanCell.random(3, List.of(4, 5), 2, Activation.TANH, Activation.TANH, random);

  @Test
  void anInputWithTheWrongFeatureSize() {
    Var input = Var.constant(Tensor.zeros(2, 5));

    assertMessage(
        "ElmanCell: input [2, 5] has 5 features but U expects 3",
        () -> elman.step(input, elman.initialState(2)));
    assertMessage(
        "JordanCell: input [2, 5] has 5 features but U expects 3",
        () -> jordan.step(input, jordan.initialState(2)));
    assertMessage(
        "DeepElmanCell: input [2, 5] has 5 features but layers.0.U expects 3",
        () -> deepElman.step(input, deepElman.initialState(2)));
    assertMessage(
        "DeepJordanCell: input [2, 5] has 5 features but layers.0.U expects 3",
        () -> deepJordan.step(input, deepJordan.initialState(2)));
    ConcatenatedElmanCell concatenated = ConcatenatedElmanCell.random(3, 4, random);
    assertMessage(
        "ConcatenatedElmanCell: input [2, 5] has 5 features but W [7, 4] (less its hidden rows)"
            + " expects 3",
        () -> concatenated.step(input, concatenated.initialState(2)));
  }

  @Test
  void aSequenceWithTheWrongFeatureSizeIsCaughtBeforeTheFirstStep() {
    Var inputs = Var.constant(Tensor.zeros(2, 6, 5));

    assertMessage(
        "ElmanCell: inputs [2, 6, 5] have 5 features per step but the cell takes 3",
        () -> new Recurrent<>(elman).run(inputs));
  }

  @Test
  void aStateOfTheWrongShape() {
    Var input = Var.constant(Tensor.zeros(2, 3));

    assertMessage(
        "ElmanCell: state H(t-1) has shape [3, 4] but a batch of 2 needs [2, 4]",
        () -> elman.step(input, elman.initialState(3)));
    assertMessage(
        "ElmanCell: state H(t-1) has shape [2, 2] but a batch of 2 needs [2, 4]",
        () -> elman.step(input, HiddenState.zeros(2, 2)));
    assertMessage(
        "JordanCell: state Y(t-1) has shape [2, 4] but a batch of 2 needs [2, 2]",
        () -> jordan.step(input, HiddenState.zeros(2, 4)));
    assertMessage(
        "DeepElmanCell: state H^2(t-1) has shape [2, 4] but a batch of 2 needs [2, 5]",
        () ->
            deepElman.step(
                input,
                new StackedState<>(
                    ImmutableList.of(HiddenState.zeros(2, 4), HiddenState.zeros(2, 4)))));
    assertMessage(
        "DeepJordanCell: state Y(t-1) has shape [2, 5] but a batch of 2 needs [2, 2]",
        () ->
            deepJordan.step(
                input,
                new StackedState<>(
                    ImmutableList.of(HiddenState.zeros(2, 5), HiddenState.zeros(2, 5)))));
    assertMessage(
        "DeepJordanCell: the state holds 1 layers but the network feeds back into 2 hidden layers",
        () ->
            deepJordan.step(input, new StackedState<>(ImmutableList.of(HiddenState.zeros(2, 5)))));
  }

  @Test
  void weightsThatDoNotFitEachOther() {
    assertMessage(
        "ElmanCell: W has shape [4, 3] but U [3, 4] needs [4, 4]",
        () ->
            new ElmanCell(
                Tensor.zeros(3, 4), Tensor.zeros(4, 3), Tensor.zeros(4), Activation.TANH));
    assertMessage(
        "ElmanCell: V has shape [3, 2] but U [3, 4] needs [4, 2]",
        () -> elman.withOutput(Tensor.zeros(3, 2), Tensor.zeros(2), Activation.TANH));
    assertMessage(
        "JordanCell: W has shape [4, 4] but feeding back the output of V [4, 2] into U's 4 units"
            + " needs [2, 4]",
        () ->
            new JordanCell(
                Tensor.zeros(3, 4),
                Tensor.zeros(4, 4),
                Tensor.zeros(4),
                Activation.TANH,
                Tensor.zeros(4, 2),
                Tensor.zeros(2),
                Activation.TANH));
    HiddenLayer first = HiddenLayer.random(3, 4, 4, Activation.TANH, random);
    assertMessage(
        "DeepElmanCell: layers.1.U (the output layer) has shape [5, 2] but the layer below it,"
            + " layers.0, has 4 units",
        () -> new DeepElmanCell(List.of(first), OutputLayer.random(5, 2, Activation.TANH, random)));
    assertMessage(
        "DeepJordanCell: layers.0.W has shape [4, 4] but the layer above, layers.1, feeds back 2"
            + " units: it must be [2, 4]",
        () ->
            new DeepJordanCell(List.of(first), OutputLayer.random(4, 2, Activation.TANH, random)));
  }

  private static void assertMessage(String expected, Executable executable) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, executable);
    assertEquals(expected, e.getMessage());
  }
}
