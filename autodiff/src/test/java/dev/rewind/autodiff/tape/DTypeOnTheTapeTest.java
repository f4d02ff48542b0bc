package dev.rewind.autodiff.tape;

import static dev.rewind.autodiff.tensor.DType.FLOAT32;
import static dev.rewind.autodiff.tensor.DType.FLOAT64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Dtypes on the tape: an op given two refuses them naming itself, {@link Var#to} carries the
 * gradient back in the input's dtype (and can be differentiated again), and a parameter changes
 * dtype only through {@link Parameter#convertTo}.
 */
class DTypeOnTheTapeTest {
  private static final Shape THREE = Shape.of(3);
  private static final Tensor X = Tensor.vector(0.1, -0.7, 1.3);

  @Test
  void anOpGivenTwoDTypesNamesItselfAndBoth() {
    Var wide = Var.constant(Tensor.ones(2, 2));
    Var narrow = Var.constant(Tensor.ones(2, 2).to(FLOAT32));

    assertMixed("add: float64 and float32", () -> wide.add(narrow));
    assertMixed("add: float32 and float64", () -> narrow.add(wide));
    assertMixed("matmul: float32 and float64", () -> narrow.matmul(wide));
    assertMixed("mul: float64 and float32", () -> wide.mul(narrow));
  }

  @Test
  void anOpGivenTwoDTypesRecordsNothing() {
    try (Tape tape = Tape.record()) {
      Var wide = Var.constant(Tensor.ones(2, 2));
      Var narrow = Var.constant(Tensor.ones(2, 2).to(FLOAT32));

      assertMixed("matmul: float64 and float32", () -> wide.matmul(narrow));

      assertEquals(0, tape.size());
    }
  }

  @Test
  void aScalarConstantTakesTheVarsDType() {
    Var narrow = Var.constant(X.to(FLOAT32));

    assertEquals(FLOAT32, narrow.add(1).mul(2).dtype());
    assertEquals(FLOAT32, Var.scalar(0.5, FLOAT32).dtype());
    assertEquals(FLOAT64, Var.scalar(0.5).dtype());
  }

  @Test
  void toCarriesTheGradientBackInTheInputsDType() {
    try (Tape tape = Tape.record()) {
      Var x = Var.constant(X);
      Var narrow = x.to(FLOAT32);
      Var y = narrow.square().sum();

      Tensor gradient = tape.gradient(y, x).tensor(x);

      assertEquals(FLOAT32, narrow.dtype());
      assertEquals(FLOAT32, y.dtype());
      assertEquals(FLOAT64, gradient.dtype());
      // 2 x computed in float32 from x rounded to float32, then widened exactly.
      assertEquals(Tensor.vector(2 * 0.1f, 2 * -0.7f, 2 * 1.3f), gradient);
    }
  }

  @Test
  void toFloat64OfAFloat32ValueCarriesAFloat32GradientBack() {
    try (Tape tape = Tape.record()) {
      Var x = Var.constant(X.to(FLOAT32));
      Var y = x.to(FLOAT64).mul(3).sum();

      Tensor gradient = tape.gradient(y, x).tensor(x);

      assertEquals(Tensor.full(THREE, 3, FLOAT32), gradient);
    }
  }

  @Test
  void toItsOwnDTypeIsTheVarItselfAndRecordsNothing() {
    try (Tape tape = Tape.record()) {
      Var x = Var.constant(X);

      assertSame(x, x.to(FLOAT64));
      assertEquals(0, tape.size());
    }
  }

  @Test
  void theGradientThroughToCanBeDifferentiatedAgain() {
    try (Tape outer = Tape.record()) {
      Var x = Var.constant(X);
      Var gradient;
      try (Tape inner = Tape.record()) {
        Var y = x.to(FLOAT32).pow(3).sum();
        gradient = inner.gradient(y, x).of(x);
      }

      Tensor second = outer.gradient(gradient.sum(), x).tensor(x);

      // d/dx Σ 3x² = 6x, in float32 from x rounded to float32, back in float64.
      assertEquals(FLOAT64, gradient.dtype());
      assertEquals(FLOAT64, second.dtype());
      float[] rounded = X.to(FLOAT32).toFloatArray();
      for (int i = 0; i < rounded.length; i++) {
        assertEquals(6 * rounded[i], second.getFlat(i), 4 * Math.ulp(6 * rounded[i]));
      }
    }
  }

  @Test
  void assignRefusesAValueOfAnotherDTypeNamingTheWayToConvert() {
    Parameter w = new Parameter("w", X);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> w.assign(X.to(FLOAT32)));

    assertEquals(
        "assign: parameter 'w' is float64 but the new value is float32; change a parameter's dtype"
            + " with convertTo",
        e.getMessage());
    assertSame(X, w.value());
  }

  @Test
  void convertToChangesTheDTypeInPlaceAndAssignThenTakesIt() {
    Parameter w = new Parameter("w", X);

    w.convertTo(FLOAT32);

    assertEquals(FLOAT32, w.dtype());
    assertEquals(X.to(FLOAT32), w.value());
    Tensor next = Tensor.ofFloats(THREE, 1, 2, 3);
    w.assign(next);
    assertSame(next, w.value());
    try (Tape tape = Tape.record()) {
      Tensor gradient = tape.gradient(w.square().sum(), w).tensor(w);

      assertEquals(Tensor.ofFloats(THREE, 2, 4, 6), gradient);
    }
  }

  private static void assertMixed(String start, Supplier<Var> call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::get);
    assertEquals(start + " operands; convert one explicitly with to(DType)", e.getMessage());
  }
}
