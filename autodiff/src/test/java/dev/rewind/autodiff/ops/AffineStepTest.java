package dev.rewind.autodiff.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@code affineStep} gives the numbers of an affine op on the step's slice: the value, and every
 * input's gradient whether or not the backward pass is recorded.
 */
class AffineStepTest {
  private final Random random = new Random(41);

  @Test
  void givesTheNumbersOfAnAffineOpOnTheSlice() {
    for (int t : new int[] {0, 3, 6}) {
      List<Var> inputs =
          List.of(normal(5, 4), normal(4, 9), normal(5, 7, 9)).stream().map(Var::constant).toList();
      Tensor seed = normal(5, 9);
      Function<List<Var>, Var> inPlace = in -> in.get(0).affineStep(in.get(1), in.get(2), t);
      Function<List<Var>, Var> sliced = in -> in.get(0).affine(in.get(1), in.get(2).select(1, t));

      BackwardPasses.assertSameNumbers(sliced, inPlace, inputs, seed, "step " + t);
    }
  }

  @Test
  void aStepOutsideTheSequenceIsNamed() {
    Var x = Var.constant(Tensor.zeros(2, 3));
    Var w = Var.constant(Tensor.zeros(3, 4));
    Var s = Var.constant(Tensor.zeros(2, 5, 4));

    String message =
        assertThrows(IllegalArgumentException.class, () -> x.affineStep(w, s, 5)).getMessage();

    assertEquals("affineStep: step 5 is outside the 5 steps of s [2, 5, 4]", message);
  }

  @Test
  void aSequenceOfAnotherWidthIsNamed() {
    Var x = Var.constant(Tensor.zeros(2, 3));
    Var w = Var.constant(Tensor.zeros(3, 4));
    Var s = Var.constant(Tensor.zeros(2, 5, 6));

    String message =
        assertThrows(IllegalArgumentException.class, () -> x.affineStep(w, s, 0)).getMessage();

    assertEquals(
        "affineStep: x [2, 3], w [3, 4], s [2, 5, 6]: expected x [B, k], w [k, m] and s [B, T, m]",
        message);
  }

  private Tensor normal(int... dims) {
    return Tensor.randomNormal(Shape.of(dims), 0, 1, random);
  }
}
