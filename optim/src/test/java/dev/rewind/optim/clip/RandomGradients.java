package dev.rewind.optim.clip;

import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.optim.ParameterGradients;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Random gradients for the clipping properties, and norms computed independently of the clippers.
 */
final class RandomGradients {
  private RandomGradients() {}

  /** Thresholds spread evenly over six orders of magnitude, 1e-3 to 1e3. */
  static Arbitrary<Double> thresholds() {
    return Arbitraries.doubles().between(-3, 3).map(exponent -> Math.pow(10, exponent));
  }

  /** Mostly values in ±10, some scaled by 10^±{@code maxExponent} at most, and exact zeros. */
  static Arbitrary<Double> elements(int maxExponent) {
    Arbitrary<Double> mantissa = Arbitraries.doubles().between(-10, 10);
    Arbitrary<Integer> exponent = Arbitraries.integers().between(-maxExponent, maxExponent);
    return Arbitraries.frequencyOf(
        Tuple.of(8, mantissa),
        Tuple.of(2, Combinators.combine(mantissa, exponent).as((m, e) -> m * Math.pow(10, e))),
        Tuple.of(1, Arbitraries.just(0.0)));
  }

  /**
   * One to four parameters named p0, p1, …, each of rank 0 to {@code maxRank} with dimensions 0 to
   * {@code maxDim} (so some are empty), filled with {@code element}.
   */
  static Arbitrary<ParameterGradients> of(Arbitrary<Double> element, int maxRank, int maxDim) {
    Arbitrary<Tensor> tensor =
        Arbitraries.integers()
            .between(0, maxDim)
            .list()
            .ofMaxSize(maxRank)
            .flatMap(
                dims -> {
                  Shape shape = Shape.of(dims.stream().mapToInt(Integer::intValue).toArray());
                  return element
                      .list()
                      .ofSize(shape.size())
                      .map(
                          values ->
                              Tensor.of(
                                  shape,
                                  values.stream().mapToDouble(Double::doubleValue).toArray()));
                });
    return tensor.list().ofMinSize(1).ofMaxSize(4).map(RandomGradients::asGradients);
  }

  private static ParameterGradients asGradients(List<Tensor> tensors) {
    ParameterGradients.Builder builder = ParameterGradients.builder();
    for (int i = 0; i < tensors.size(); i++) {
      Tensor gradient = tensors.get(i);
      builder.put(new Parameter("p" + i, Tensor.zeros(gradient.shape())), gradient);
    }
    return builder.build();
  }

  /** Each parameter's gradient, in parameter order. */
  static List<Tensor> tensors(ParameterGradients gradients) {
    List<Tensor> tensors = new ArrayList<>();
    for (Parameter parameter : gradients.parameters()) {
      tensors.add(gradients.tensor(parameter));
    }
    return tensors;
  }

  /** All elements, concatenated in parameter order. */
  static double[] flat(ParameterGradients gradients) {
    return tensors(gradients).stream().flatMapToDouble(t -> Arrays.stream(t.toArray())).toArray();
  }

  /** The L2 norm computed exactly in decimal, then rounded: independent of the clippers' code. */
  static double exactL2(double[] values) {
    BigDecimal sum = BigDecimal.ZERO;
    for (double value : values) {
      BigDecimal v = new BigDecimal(value);
      sum = sum.add(v.multiply(v));
    }
    return sum.sqrt(MathContext.DECIMAL128).doubleValue();
  }

  static double largestAbsolute(double[] values) {
    double largest = 0;
    for (double value : values) {
      largest = Math.max(largest, Math.abs(value));
    }
    return largest;
  }

  /** The norm of {@code type} over {@code values}, computed independently. */
  static double independentNorm(NormType type, double[] values) {
    return type == NormType.L2 ? exactL2(values) : largestAbsolute(values);
  }
}
