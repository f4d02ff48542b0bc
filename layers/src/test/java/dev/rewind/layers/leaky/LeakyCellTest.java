package dev.rewind.layers.leaky;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.RecurrentCell;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Leaky units: their equation, the two limits of α, the learned α's range, and their errors. */
class LeakyCellTest {
  private final Random random = new Random(21);
  private final Tensor u = Tensor.randomNormal(Shape.of(3, 4), 0, 0.5, random);
  private final Tensor w = Tensor.randomNormal(Shape.of(4, 4), 0, 0.5, random);
  private final Tensor b = Tensor.randomNormal(Shape.of(4), 0, 0.5, random);
  private final Var xs = Var.constant(Tensor.randomNormal(Shape.of(2, 6, 3), 0, 1, random));

  @Test
  void eachUnitMixesItsPreviousValueAndTheElmanUpdateByItsAlpha() {
    Tensor alpha = Tensor.vector(0.02, 0.2, 0.5, 0.9);
    LeakyCell cell = new LeakyCell(LeakyCell.Leak.FIXED, alpha, u, w, b);
    Tensor x = Tensor.randomNormal(Shape.of(2, 3), 0, 1, random);
    Tensor h = Tensor.randomNormal(Shape.of(2, 4), 0, 1, random);

    Tensor next = cell.step(Var.constant(x), new HiddenState(Var.constant(h))).output().value();

    for (int n = 0; n < 2; n++) {
      for (int j = 0; j < 4; j++) {
        double sum = b.getFlat(j);
        for (int k = 0; k < 3; k++) {
          sum += x.get(n, k) * u.get(k, j);
        }
        for (int k = 0; k < 4; k++) {
          sum += h.get(n, k) * w.get(k, j);
        }
        double a = alpha.getFlat(j);
        assertEquals(a * h.get(n, j) + (1 - a) * Math.tanh(sum), next.get(n, j), 1e-15);
      }
    }
  }

  @Test
  void alphaZeroIsThePlainElmanNet() {
    LeakyCell leaky = new LeakyCell(LeakyCell.Leak.FIXED, Tensor.zeros(4), u, w, b);
    Var cu = Var.constant(u);
    Var cw = Var.constant(w);
    Var cb = Var.constant(b);
    RecurrentCell<HiddenState> elman =
        RecurrentCell.of(3, 4, (x, h) -> x.matmul(cu).add(h.matmul(cw)).add(cb).tanh());

    Tensor fromLeaky = new Recurrent<>(leaky).run(xs).stacked().value();
    Tensor fromElman = new Recurrent<>(elman).run(xs).stacked().value();

    assertTrue(fromLeaky.allClose(fromElman, 0, 1e-15));
  }

  @Test
  void alphaOneHoldsTheStateForever() {
    LeakyCell leaky = new LeakyCell(LeakyCell.Leak.FIXED, Tensor.ones(4), u, w, b);
    HiddenState start =
        new HiddenState(Var.constant(Tensor.randomNormal(Shape.of(2, 4), 0, 1, random)));

    HiddenState end = new Recurrent<>(leaky).run(xs, start, null).finalState();

    assertEquals(start.h().value(), end.h().value());
  }

  @Test
  void aLearnedAlphaStartsWhereGivenAndStaysInsideZeroAndOne() {
    Tensor alpha = Tensor.vector(0.02, 0.2, 0.5, 0.9);
    LeakyCell cell = new LeakyCell(LeakyCell.Leak.LEARNED, alpha, u, w, b);
    Parameter logit = cell.namedParameters().get("alphaLogit");

    assertTrue(cell.alpha().allClose(alpha, 0, 1e-15), cell.alpha()::toString);
    logit.assign(Tensor.vector(-30, -5, 5, 30));
    for (double a : cell.alpha().toArray()) {
      assertTrue(a > 0 && a < 1, () -> "alpha " + a);
    }
    assertEquals(List.of("U", "W", "b", "alphaLogit"), cell.namedParameters().keySet().asList());
  }

  @Test
  void aFixedAlphaIsNotAParameter() {
    LeakyCell cell = LeakyCell.random(3, 5, LeakyCell.Leak.FIXED, new Random(1));

    assertEquals(List.of("U", "W", "b"), cell.namedParameters().keySet().asList());
    for (double a : cell.alpha().toArray()) {
      assertTrue(a >= 0.02 && a < 0.2, () -> "alpha " + a);
    }
  }

  @Test
  void anAlphaOutsideItsRangeIsRejectedWithItsIndexAndValue() {
    IllegalArgumentException fixed =
        assertThrows(
            IllegalArgumentException.class,
            () -> new LeakyCell(LeakyCell.Leak.FIXED, Tensor.vector(0, 0.5, 1.5, 1), u, w, b));
    IllegalArgumentException learned =
        assertThrows(
            IllegalArgumentException.class,
            () -> new LeakyCell(LeakyCell.Leak.LEARNED, Tensor.vector(0.5, 0, 0.5, 0.5), u, w, b));

    assertEquals("LeakyCell: alpha[2] = 1.5 must lie in [0, 1]", fixed.getMessage());
    assertEquals(
        "LeakyCell: alpha[1] = 0.0 must lie in (0, 1) to be learned through its logit",
        learned.getMessage());
  }

  @Test
  void badShapesNameTheCellAndTheSizes() {
    LeakyCell cell = new LeakyCell(LeakyCell.Leak.FIXED, Tensor.zeros(4), u, w, b);

    IllegalArgumentException input =
        assertThrows(
            IllegalArgumentException.class,
            () -> cell.step(Var.constant(Tensor.zeros(2, 5)), cell.initialState(2)));
    IllegalArgumentException state =
        assertThrows(
            IllegalArgumentException.class,
            () -> cell.step(Var.constant(Tensor.zeros(2, 3)), HiddenState.zeros(1, 4)));
    IllegalArgumentException alpha =
        assertThrows(
            IllegalArgumentException.class,
            () -> new LeakyCell(LeakyCell.Leak.FIXED, Tensor.zeros(3), u, w, b));

    assertEquals(
        "LeakyCell: input [2, 5] has 5 features but U expects 3: inputs are [batch, 3]",
        input.getMessage());
    assertEquals(
        "LeakyCell: state h has shape [1, 4] but input [2, 3] and 4 hidden units need [2, 4]",
        state.getMessage());
    assertEquals("LeakyCell: alpha has shape [3] but 4 hidden units need [4]", alpha.getMessage());
  }
}
