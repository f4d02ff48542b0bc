package dev.rewind.layers.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Activation;
import dev.rewind.layers.elman.ElmanCell;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The references reject what they cannot compute with a message naming the sizes. */
class ReferenceBadInputTest {
  private final ElmanBptt bptt =
      ElmanBptt.of(ElmanCell.random(3, 4, 2, Activation.TANH, Activation.SOFTMAX, new Random(1)));

  @Test
  void inputsWithTheWrongFeatureSizeAreRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> bptt.squaredError(Tensor.zeros(2, 5, 4), Tensor.zeros(2, 5, 2)));
    assertEquals(
        "ElmanBptt: inputs have shape [2, 5, 4] but U [3, 4] needs [batch, time, 3]",
        e.getMessage());
  }

  @Test
  void targetsOfTheWrongShapeAreRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> bptt.squaredError(Tensor.zeros(2, 5, 3), Tensor.zeros(2, 5, 3)));
    assertEquals(
        "ElmanBptt: targets have shape [2, 5, 3] but inputs [2, 5, 3] and V [4, 2] need [2, 5, 2]",
        e.getMessage());
  }

  @Test
  void aClassOutsideTheOutputsIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> bptt.softmaxCrossEntropy(Tensor.zeros(1, 2, 3), new int[][] {{0, 2}}));
    assertEquals(
        "ElmanBptt: target 2 of sequence 0 at step 2 is not a class of V's 2", e.getMessage());
  }

  @Test
  void onlyTanhHiddenUnitsHaveTheNotesDerivation() {
    ElmanCell sigmoid =
        ElmanCell.random(3, 4, 2, Activation.SIGMOID, Activation.SOFTMAX, new Random(1));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ElmanBptt.of(sigmoid));
    assertEquals(
        "ElmanBptt: the notes derive BPTT for tanh hidden units, but"
            + " ElmanCell(in 3, hidden 4 SIGMOID, out 2 SOFTMAX) has SIGMOID",
        e.getMessage());
  }

  @Test
  void weightsThatDoNotFitAreRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new ElmanBptt(
                    Tensor.zeros(3, 4),
                    Tensor.zeros(4, 3),
                    Tensor.zeros(4),
                    Tensor.zeros(4, 2),
                    Tensor.zeros(2)));
    assertEquals("ElmanBptt: W has shape [4, 3] but U [3, 4] needs [4, 4]", e.getMessage());
  }

  @Test
  void theScalarNetRejectsTargetsOfTheWrongLength() {
    ScalarLinearRnn net = new ScalarLinearRnn(0.5, 1);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> net.gradientVx(Tensor.zeros(3, 8), Tensor.zeros(Shape.of(2))));
    assertEquals(
        "ScalarLinearRnn: targets have shape [2] but inputs [3, 8] need [3]", e.getMessage());
  }
}
