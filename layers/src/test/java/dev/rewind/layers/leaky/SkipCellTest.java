package dev.rewind.layers.leaky;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.RecurrentCell;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Skip connections through time: the delayed read, masking and detaching of the whole history. */
class SkipCellTest {
  private final Random random = new Random(31);
  private final Tensor u = Tensor.randomNormal(Shape.of(3, 4), 0, 0.5, random);
  private final Tensor w = Tensor.randomNormal(Shape.of(4, 4), 0, 0.5, random);
  private final Tensor wSkip = Tensor.randomNormal(Shape.of(4, 4), 0, 0.5, random);
  private final Tensor b = Tensor.randomNormal(Shape.of(4), 0, 0.5, random);
  private final Var xs = Var.constant(Tensor.randomNormal(Shape.of(2, 7, 3), 0, 1, random));

  @Test
  void eachStepReadsTheStateOfDelayStepsBack() {
    SkipCell cell = new SkipCell(u, w, wSkip, b, 3);

    List<Var> outputs = new Recurrent<>(cell).run(xs).outputs();

    List<Var> h = new ArrayList<>();
    Var zero = Var.constant(Tensor.zeros(2, 4));
    for (int t = 0; t < 7; t++) {
      Var previous = t >= 1 ? h.get(t - 1) : zero;
      Var distant = t >= 3 ? h.get(t - 3) : zero;
      Var x = xs.select(1, t);
      h.add(
          x.matmul(Var.constant(u))
              .add(previous.matmul(Var.constant(w)))
              .add(distant.matmul(Var.constant(wSkip)))
              .add(Var.constant(b))
              .tanh());
      assertEquals(h.get(t).value(), outputs.get(t).value(), "step " + t);
    }
  }

  @Test
  void aDelayOfOneIsAnElmanNetWithTheSumOfBothRecurrentMatrices() {
    SkipCell skip = new SkipCell(u, w, wSkip, b, 1);
    Var both = Var.constant(Pointwise.add(w, wSkip));
    RecurrentCell<HiddenState> elman =
        RecurrentCell.of(
            3,
            4,
            (x, h) -> x.matmul(Var.constant(u)).add(h.matmul(both)).add(Var.constant(b)).tanh());

    Tensor fromSkip = new Recurrent<>(skip).run(xs).stacked().value();
    Tensor fromElman = new Recurrent<>(elman).run(xs).stacked().value();

    assertTrue(fromSkip.allClose(fromElman, 0, 1e-14));
  }

  @Test
  void aPaddedStepLeavesTheWholeHistoryUnchanged() {
    SkipCell cell = new SkipCell(u, w, wSkip, b, 2);
    // The second sequence has a padded step at t = 2: it must behave as the sequence without it.
    Tensor mask = Tensor.matrix(new double[][] {{1, 1, 1, 1}, {1, 1, 0, 1}});
    Var padded = xs.slice(1, 0, 4);
    Var unpadded = Var.concat(1, xs.slice(1, 0, 2), xs.slice(1, 3, 4)).slice(0, 1, 2);

    SkipState masked = new Recurrent<>(cell).run(padded, cell.initialState(2), mask).finalState();
    SkipState alone = new Recurrent<>(cell).run(unpadded).finalState();

    for (int k = 0; k < 2; k++) {
      assertEquals(
          alone.recent().get(k).value(),
          masked.recent().get(k).slice(0, 1, 2).value(),
          "h(t-" + (k + 1) + ")");
    }
  }

  @Test
  void detachingCutsEveryRememberedVectorOffTheTape() {
    SkipCell cell = new SkipCell(u, w, wSkip, b, 3);
    SkipState state = new Recurrent<>(cell).run(xs).finalState();

    SkipState detached = state.detach();

    assertEquals(3, detached.delay());
    for (int k = 0; k < 3; k++) {
      assertEquals(state.recent().get(k).value(), detached.recent().get(k).value());
      assertTrue(detached.recent().get(k) != state.recent().get(k));
    }
  }

  @Test
  void aStateOfTheWrongLengthOrShapeIsRejected() {
    SkipCell cell = new SkipCell(u, w, wSkip, b, 3);
    Var x = Var.constant(Tensor.zeros(2, 3));
    SkipState tooShort = SkipState.zeros(2, 2, 4);
    Var zeros = Var.constant(Tensor.zeros(2, 4));
    SkipState wrongShape =
        new SkipState(ImmutableList.of(zeros, Var.constant(Tensor.zeros(2, 5)), zeros));

    IllegalArgumentException length =
        assertThrows(IllegalArgumentException.class, () -> cell.step(x, tooShort));
    IllegalArgumentException shape =
        assertThrows(IllegalArgumentException.class, () -> cell.step(x, wrongShape));
    IllegalArgumentException input =
        assertThrows(
            IllegalArgumentException.class,
            () -> cell.step(Var.constant(Tensor.zeros(2, 4)), cell.initialState(2)));
    IllegalArgumentException delay =
        assertThrows(IllegalArgumentException.class, () -> new SkipCell(u, w, wSkip, b, 0));

    assertEquals(
        "SkipCell: the state holds 2 hidden vectors but a delay of 3 needs 3", length.getMessage());
    assertEquals(
        "SkipCell: state h(t−2) has shape [2, 5] but input [2, 3] and 4 hidden units need [2, 4]",
        shape.getMessage());
    assertEquals(
        "SkipCell: input [2, 4] has 4 features but U expects 3: inputs are [batch, 3]",
        input.getMessage());
    assertEquals("SkipCell: the delay must be at least 1, was 0", delay.getMessage());
  }

  @Test
  void theParametersAreNamedAsTheNotesName() {
    SkipCell cell = SkipCell.random(3, 4, 2, new Random(1));

    assertEquals(List.of("U", "W", "Wskip", "b"), cell.namedParameters().keySet().asList());
    assertEquals(3 * 4 + 2 * 16 + 4, cell.parameterCount());
  }
}
