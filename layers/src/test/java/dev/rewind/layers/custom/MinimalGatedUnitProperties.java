package dev.rewind.layers.custom;

import static dev.rewind.autodiff.check.TensorArbitraries.awayFromZero;
import static dev.rewind.layers.custom.MinimalGatedUnitTest.mgu;

import dev.rewind.autodiff.check.GradCheck;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Recurrent;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A property test of a cell of one's own, written as docs/gradient-checking.md shows it: BPTT
 * through the minimal gated unit equals central finite differences, with respect to the inputs and
 * all six weights, on random sizes and sequences drawn with the published {@code
 * TensorArbitraries}. Every try is checked: an element of the gradient too small for the
 * differences to resolve is held to their rounding error (GradCheck's ν), so none is discarded.
 */
class MinimalGatedUnitProperties {

  @Property(tries = 50, seed = "4004", edgeCases = EdgeCasesMode.NONE)
  void bpttThroughTheCellMatchesCentralDifferences(@ForAll("networks") List<Tensor> inputs) {
    GradCheck check =
        GradCheck.of(
            in -> {
              var cell = mgu(in.get(1), in.get(2), in.get(3), in.get(4), in.get(5), in.get(6));
              return new Recurrent<>(cell).run(in.get(0)).stacked().sum();
            });
    Tensor[] values = inputs.toArray(new Tensor[0]);
    check.check(values).orThrow();
  }

  /** Inputs {@code [batch, time, in]} and W_f, U_f, b_f, W_h, U_h, b_h, away from 0. */
  @Provide
  Arbitrary<List<Tensor>> networks() {
    Arbitrary<Integer> size = Arbitraries.integers().between(1, 3);
    Arbitrary<Integer> steps = Arbitraries.integers().between(1, 6);
    return Combinators.combine(size, steps, size, size)
        .flatAs(
            (batch, time, in, hidden) ->
                Combinators.combine(
                        awayFromZero(Shape.of(batch, time, in), 0.1, 1),
                        awayFromZero(Shape.of(in, hidden), 0.2, 0.7),
                        awayFromZero(Shape.of(hidden, hidden), 0.2, 0.7),
                        awayFromZero(Shape.of(hidden), 0.2, 0.7),
                        awayFromZero(Shape.of(in, hidden), 0.2, 0.7),
                        awayFromZero(Shape.of(hidden, hidden), 0.2, 0.7),
                        awayFromZero(Shape.of(hidden), 0.2, 0.7))
                    .as(List::of));
  }
}
