package dev.rewind.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.check.GradCheck;
import dev.rewind.autodiff.check.GradCheckResult;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The first-order gradient check of a weighted sum of every output of an unrolled cell. */
public final class BpttChecks {
  private BpttChecks() {}

  /**
   * Checks, at the default finite-difference step and tolerance, the gradient of the outputs of
   * {@code run} weighted by {@code outputWeights} and summed, with respect to {@code leading}
   * followed by the value of every parameter of {@code template}; asserts that it passes and that
   * every element of every value was compared.
   */
  public static void assertWeightedOutputsPass(
      Layer template,
      Tensor outputWeights,
      Function<List<Var>, Recurrent.Unrolled<?>> run,
      Tensor... leading) {
    List<Tensor> inputs = new ArrayList<>(List.of(leading));
    for (Parameter parameter : template.parameters()) {
      inputs.add(parameter.value());
    }

    GradCheckResult result =
        GradCheck.of(in -> run.apply(in).stacked().mul(Var.constant(outputWeights)).sum())
            .check(inputs.toArray(new Tensor[0]));

    assertTrue(result.passed(), result::toString);
    assertEquals(inputs.stream().mapToInt(Tensor::size).sum(), result.comparisons());
  }
}
