package dev.rewind.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.common.collect.ImmutableList;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Bad input to an unrolled cell fails at once, naming the cell and the sizes. */
class RecurrentBadInputTest {
  private final TanhCell cell = new TanhCell(3, 4, new Random(7));
  private final RecurrentCell<HiddenState> lambda = RecurrentCell.of(3, 4, (x, h) -> h.tanh());

  @Test
  void inputsWithTheWrongFeatureSize() {
    Var inputs = Var.constant(Tensor.zeros(2, 5, 6));

    assertEquals(
        "TanhCell: inputs [2, 5, 6] have 6 features per step but the cell takes 3",
        message(() -> new Recurrent<>(cell).run(inputs)));
    assertEquals(
        "RecurrentCell.of(3, 4): inputs [2, 5, 6] have 6 features per step but the cell takes 3",
        message(() -> new Recurrent<>(lambda).run(inputs)));
  }

  @Test
  void inputsThatAreNotASequence() {
    assertEquals(
        "TanhCell: inputs must be [batch, time, features], but have shape [2, 3]",
        message(() -> new Recurrent<>(cell).run(Var.constant(Tensor.zeros(2, 3)))));
  }

  @Test
  void anEmptySequence() {
    assertEquals(
        "TanhCell: the sequence is empty: inputs [2, 0, 3]",
        message(() -> new Recurrent<>(cell).run(Var.constant(Tensor.zeros(2, 0, 3)))));
  }

  @Test
  void aMaskOfAnotherShape() {
    Var inputs = Var.constant(Tensor.zeros(2, 5, 3));

    assertEquals(
        "TanhCell: mask has shape [2, 4] but the inputs [2, 5, 3] need [2, 5]",
        message(() -> new Recurrent<>(cell).run(inputs, null, Tensor.ones(2, 4))));
    assertEquals(
        "TanhCell: mask has shape [5, 2] but the inputs [2, 5, 3] need [2, 5]",
        message(() -> new Recurrent<>(cell).run(inputs, null, Tensor.ones(5, 2))));
  }

  @Test
  void aStateOfTheWrongShape() {
    Var inputs = Var.constant(Tensor.zeros(2, 5, 3));

    assertEquals(
        "RecurrentCell.of(3, 4): state h [2, 5] must be [2, 4] for a batch of 2",
        message(() -> new Recurrent<>(lambda).run(inputs, HiddenState.zeros(2, 5), null)));
    assertEquals(
        "RecurrentCell.of(3, 4): state h [3, 4] must be [2, 4] for a batch of 2",
        message(() -> new Recurrent<>(lambda).run(inputs, HiddenState.zeros(3, 4), null)));
  }

  @Test
  void aLambdaThatReturnsTheWrongShape() {
    RecurrentCell<HiddenState> wrong = RecurrentCell.of(3, 4, (x, h) -> x);

    assertEquals(
        "RecurrentCell.of(3, 4): the step function returned h [2, 3] for a state [2, 4]",
        message(() -> new Recurrent<>(wrong).run(Var.constant(Tensor.zeros(2, 5, 3)))));
  }

  @Test
  void aStackedStateWithTheWrongNumberOfLayers() {
    Random random = new Random(8);
    StackedCell<HiddenState> stack =
        new StackedCell<>(new TanhCell(3, 4, random), new TanhCell(4, 4, random));
    StackedState<HiddenState> oneLayer =
        new StackedState<>(ImmutableList.of(HiddenState.zeros(2, 4)));

    assertEquals(
        "StackedCell: the state holds 1 layers' states but the stack has 2 layers",
        message(
            () -> new Recurrent<>(stack).run(Var.constant(Tensor.zeros(2, 5, 3)), oneLayer, null)));
  }

  @Test
  void aCheckpointSegmentOfNoSteps() {
    assertEquals(
        "TanhCell: checkpointed every 0 steps: the segment length must be at least 1",
        message(() -> new Recurrent<>(cell).checkpointed(0)));
    assertEquals(
        "RecurrentCell.of(3, 4): checkpointed every -2 steps: the segment length must be at least 1",
        message(() -> new Recurrent<>(lambda).checkpointed(-2)));
  }

  @Test
  void aStepLossThatIsNotAScalar() {
    Var inputs = Var.constant(Tensor.zeros(2, 5, 3));
    Recurrent.StepLoss rows = (t, output) -> t < 3 ? output.sum() : output.sum(1, false);

    assertEquals(
        "TanhCell: the loss of step 3 has shape [2], but a step's loss must be a scalar",
        message(() -> new Recurrent<>(cell).runWithLoss(inputs, null, null, rows)));
    assertEquals(
        "TanhCell: the loss of step 3 has shape [2], but a step's loss must be a scalar",
        message(() -> new Recurrent<>(cell).checkpointed(2).runWithLoss(inputs, null, null, rows)));
    assertEquals(
        "TanhCell: mask has shape [2, 4] but the inputs [2, 5, 3] need [2, 5]",
        message(
            () ->
                new Recurrent<>(cell)
                    .runWithLoss(inputs, null, Tensor.ones(2, 4), (t, output) -> output.sum())));
  }

  private static String message(Supplier<?> action) {
    return assertThrows(
            IllegalArgumentException.class,
            () -> {
              Object unused = action.get();
            })
        .getMessage();
  }
}
