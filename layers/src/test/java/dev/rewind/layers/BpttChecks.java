package dev.rewind.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.check.GradCheck;
import dev.rewind.autodiff.check.GradCheckResult;
import dev.rewind.autodiff.check.ParameterGradCheck;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.Map;
import java.util.function.Function;

/**
 * Gradient checks of a loss over an unrolled layer, with respect to the layer's own parameters and
 * to named inputs (the sequence, an initial state): the inputs are held as parameters of the check
 * beside the layer's, so that one check covers both, and a second-order check the terms that mix
 * them.
 */
public final class BpttChecks {
  private BpttChecks() {}

  /**
   * A check of {@code loss} over {@code inputs} and the parameters of {@code layer}: the loss reads
   * the inputs from the map it is given, by the same names, and the layer's parameters itself.
   * Results name an input by its name and a parameter by its key in {@code namedParameters()}.
   */
  public static ParameterGradCheck overInputsAndParameters(
      Map<String, Tensor> inputs, Layer layer, Function<Map<String, Var>, Var> loss) {
    ImmutableMap.Builder<String, Var> held = ImmutableMap.builder();
    ImmutableMap.Builder<String, Parameter> all = ImmutableMap.builder();
    inputs.forEach(
        (name, value) -> {
          Parameter input = new Parameter(name, value);
          held.put(name, input);
          all.put(name, input);
        });
    all.putAll(layer.namedParameters());
    ImmutableMap<String, Var> heldInputs = held.buildOrThrow();
    return GradCheck.ofParameters(all.buildOrThrow(), () -> loss.apply(heldInputs));
  }

  /**
   * Checks, at the default finite-difference step and tolerance, the gradient of the outputs of
   * {@code run} weighted by {@code outputWeights} and summed, with respect to {@code inputs} and
   * every parameter of {@code layer}; asserts that it passes and that every element of every input
   * and parameter was compared.
   */
  public static void assertWeightedOutputsPass(
      Layer layer,
      Tensor outputWeights,
      Map<String, Tensor> inputs,
      Function<Map<String, Var>, Recurrent.Unrolled<?>> run) {
    GradCheckResult result =
        overInputsAndParameters(
                inputs, layer, in -> run.apply(in).stacked().mul(Var.constant(outputWeights)).sum())
            .check();

    assertTrue(result.passed(), () -> layer + ": " + result);
    assertEquals(elementCount(inputs, layer), result.comparisons());
  }

  /** The number of elements of {@code inputs} and of every parameter of {@code layer}. */
  public static int elementCount(Map<String, Tensor> inputs, Layer layer) {
    int inputElements = inputs.values().stream().mapToInt(Tensor::size).sum();
    return inputElements + layer.parameters().stream().mapToInt(p -> p.value().size()).sum();
  }
}
