package dev.rewind.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.elman.ElmanCell;
import dev.rewind.layers.gru.GruCell;
import dev.rewind.layers.lstm.LstmCell;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Unrolled, the GRU projects every step's input at once, and the Elman and LSTM cells read each
 * step's input in place: for each, the unrolled run gives the numbers of stepping the cell by hand;
 * a projection of the wrong shape is named.
 */
class InputProjectionTest {
  private static final int BATCH = 3;
  private static final int STEPS = 5;
  private static final int FEATURES = 4;
  private static final int HIDDEN = 6;

  private final Random random = new Random(17);
  private final Var inputs =
      Var.constant(Tensor.randomNormal(Shape.of(BATCH, STEPS, FEATURES), 0, 1, random));

  @Test
  void anUnrolledElmanCellGivesTheNumbersOfItsSteps() {
    ElmanCell cell = ElmanCell.random(FEATURES, HIDDEN, Activation.TANH, random);

    assertUnrolledMatchesSteps(cell);
  }

  @Test
  void anUnrolledLstmCellGivesTheNumbersOfItsSteps() {
    LstmCell cell = LstmCell.random(FEATURES, HIDDEN, random);

    assertUnrolledMatchesSteps(cell);
    assertSame(inputs, cell.inputProjection(inputs));
  }

  @Test
  void anUnrolledGruCellGivesTheNumbersOfItsSteps() {
    GruCell cell = GruCell.random(FEATURES, HIDDEN, random);

    assertUnrolledMatchesSteps(cell);
    assertEquals(Shape.of(BATCH, STEPS, 3 * HIDDEN), cell.inputProjection(inputs).shape());
  }

  @Test
  void aProjectionOfTheWrongWidthIsNamed() {
    Var wrong = Var.constant(Tensor.zeros(BATCH, HIDDEN + 1));
    GruCell gru = GruCell.random(FEATURES, HIDDEN, random);

    assertEquals(
        "GruCell: the projected input x(t) weightIh + biasIh has shape [3, 7] but must be"
            + " [batch, 18]",
        assertThrows(
                IllegalArgumentException.class,
                () -> gru.stepFromProjection(wrong, gru.initialState(BATCH)))
            .getMessage());
  }

  @Test
  void aStateOfAnotherBatchThanTheProjectionIsNamed() {
    GruCell cell = GruCell.random(FEATURES, HIDDEN, random);
    Var projected = Var.constant(Tensor.zeros(BATCH, 3 * HIDDEN));

    assertEquals(
        "GruCell: state h has shape [2, 6] but projected input [3, 18] and 6 hidden units need"
            + " [3, 6]",
        assertThrows(
                IllegalArgumentException.class,
                () -> cell.stepFromProjection(projected, cell.initialState(2)))
            .getMessage());
  }

  @Test
  void anLstmStepOfAStateOfAnotherBatchIsNamed() {
    LstmCell cell = LstmCell.random(FEATURES, HIDDEN, random);

    String message =
        assertThrows(
                IllegalArgumentException.class,
                () -> cell.stepFromProjection(inputs, 2, cell.initialState(2)))
            .getMessage();

    assertEquals(
        "LstmCell: state h has shape [2, 6] but input [3, 4] and 6 hidden units need [3, 6]",
        message);
  }

  @Test
  void aSequenceOfTheWrongFeatureSizeIsNamedBeforeItIsProjected() {
    GruCell cell = GruCell.random(FEATURES, HIDDEN, random);

    String message =
        assertThrows(
                IllegalArgumentException.class,
                () -> cell.inputProjection(Var.constant(Tensor.zeros(BATCH, STEPS, 5))))
            .getMessage();

    assertEquals(
        "GruCell: inputs [3, 5, 5] must be [batch, time, 4], the features weightIh expects",
        message);
  }

  private <S extends RecurrentState<S>> void assertUnrolledMatchesSteps(RecurrentCell<S> cell) {
    List<Var> unrolled = new Recurrent<>(cell).run(inputs).outputs();
    S state = cell.initialState(BATCH);
    List<Var> steps = inputs.unstack(1);
    for (int t = 0; t < STEPS; t++) {
      RecurrentCell.Step<S> step = cell.step(steps.get(t), state);
      assertArrayEquals(
          step.output().value().toArray(), unrolled.get(t).value().toArray(), "step " + t);
      state = step.state();
    }
    assertEquals(STEPS, unrolled.size());
  }
}
