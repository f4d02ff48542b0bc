package dev.rewind.autodiff.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.check.GradCheck;
import dev.rewind.autodiff.check.GradCheckResult;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.constraints.IntRange;

/**
 * Every op of the registry passes first- and second-order gradient checks, in float64 with central
 * differences, at the default tolerance of 1e-6 (and, where a derivative vanishes, within the
 * rounding error of the differences), on random shapes and well-conditioned values; with the
 * default step of 1e-6 unless the case sets its own.
 */
class OpGradientProperties {

  @Property(tries = 400, edgeCases = EdgeCasesMode.NONE)
  void jacobianMatchesCentralDifferences(@ForAll("cases") Tuple2<OpCase, List<Tensor>> example) {
    OpCase opCase = example.get1();
    Tensor[] inputs = example.get2().toArray(new Tensor[0]);
    GradCheckResult result = GradCheck.of(opCase.apply()).eps(opCase.eps()).check(inputs);
    assertTrue(result.passed(), () -> opCase + ": " + result);
    Var output = opCase.apply().apply(example.get2().stream().map(Var::constant).toList());
    int inputElements = example.get2().stream().mapToInt(Tensor::size).sum();
    assertEquals(inputElements * output.value().size(), result.comparisons());
  }

  @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
  void hessianMatchesCentralDifferencesOfTheGradient(
      @ForAll("cases") Tuple2<OpCase, List<Tensor>> example,
      @ForAll @IntRange(min = 0, max = 1000) int outputElement) {
    OpCase opCase = example.get1();
    GradCheckResult result =
        GradCheck.of(vars -> opCase.outputElement(vars, outputElement))
            .eps(opCase.eps())
            .checkSecondOrder(example.get2().toArray(new Tensor[0]));
    assertTrue(result.passed(), () -> opCase + ": " + result);
  }

  /** Each case paired with inputs drawn from its own generator; cases are drawn uniformly. */
  @Provide
  Arbitrary<Tuple2<OpCase, List<Tensor>>> cases() {
    return Arbitraries.of(OpCases.all())
        .flatMap(opCase -> opCase.inputs().map(inputs -> Tuple.of(opCase, inputs)));
  }
}
