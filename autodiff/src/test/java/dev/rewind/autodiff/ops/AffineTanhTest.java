package dev.rewind.autodiff.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The fused {@code affineTanh} gives the numbers of {@code affine} then {@code tanh}: the value,
 * and the gradients of every input whether or not the backward pass is itself recorded.
 */
class AffineTanhTest {
  private final Random random = new Random(23);

  @Test
  void givesTheNumbersOfAnAffineMapThenTanhWithABiasRow() {
    assertSameAsComposed(Shape.of(5, 4), Shape.of(4, 6), Shape.of(6));
  }

  @Test
  void givesTheNumbersOfAnAffineMapThenTanhWithAnAddendPerElement() {
    assertSameAsComposed(Shape.of(32, 32), Shape.of(32, 32), Shape.of(32, 32));
    assertSameAsComposed(Shape.of(2, 3, 4), Shape.of(4, 5), Shape.of(2, 3, 5));
  }

  @Test
  void badShapesAreNamedAsForAffine() {
    Var x = Var.constant(Tensor.zeros(2, 3));
    Var w = Var.constant(Tensor.zeros(3, 4));

    String message =
        assertThrows(
                IllegalArgumentException.class,
                () -> x.affineTanh(w, Var.constant(Tensor.zeros(3))))
            .getMessage();

    assertEquals(
        "affine: x [2, 3], w [3, 4], b [3]: b must be [4], one per column of w, or [2, 4], one per"
            + " element of x w",
        message);
  }

  private void assertSameAsComposed(Shape x, Shape w, Shape b) {
    List<Var> inputs =
        List.of(
            Var.constant(Tensor.randomNormal(x, 0, 1, random)),
            Var.constant(Tensor.randomNormal(w, 0, 0.5, random)),
            Var.constant(Tensor.randomNormal(b, 0, 1, random)));
    Tensor seed = Tensor.randomNormal(x.withDim(x.rank() - 1, w.dim(1)), 0, 1, random);
    Function<List<Var>, Var> fused = in -> in.get(0).affineTanh(in.get(1), in.get(2));
    Function<List<Var>, Var> composed = in -> in.get(0).affine(in.get(1), in.get(2)).tanh();

    assertArrayEquals(
        composed.apply(inputs).value().toArray(), fused.apply(inputs).value().toArray());
    for (boolean recorded : new boolean[] {false, true}) {
      List<Tensor> expected = gradients(composed, inputs, seed, recorded);
      List<Tensor> actual = gradients(fused, inputs, seed, recorded);
      for (int i = 0; i < inputs.size(); i++) {
        assertArrayEquals(
            expected.get(i).toArray(),
            actual.get(i).toArray(),
            "gradient of input " + i + (recorded ? ", recorded" : ""));
      }
    }
  }

  /** The inputs' gradients, from a backward pass recorded on an outer tape or not recorded. */
  private static List<Tensor> gradients(
      Function<List<Var>, Var> f, List<Var> inputs, Tensor seed, boolean recorded) {
    try (Tape outer = recorded ? Tape.record() : null;
        Tape tape = Tape.record()) {
      Gradients gradients = tape.gradient(f.apply(inputs), seed, inputs);
      return inputs.stream().map(v -> gradients.of(v).value()).toList();
    }
  }
}
