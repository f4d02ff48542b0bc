package dev.rewind.autodiff.ops;

import static dev.rewind.autodiff.tensor.DType.FLOAT32;
import static dev.rewind.autodiff.tensor.DType.FLOAT64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/**
 * Every op of the registry gives in float32 what it gives in float64, to float32's precision: the
 * inputs are drawn as for the gradient checks and rounded to float32, so that both dtypes see the
 * same values, and the outputs, then each input's gradient for one cotangent (rounded to float32
 * too), then the derivative of that gradient along one direction (the backward pass differentiated
 * again), are compared element by element. The float32 side runs the generated kernels, so a
 * translation that loses precision (a double constant, a sum or a function narrowed too early, a
 * float64 tensor made inside an op) shows here; and its outputs and gradients must be float32.
 */
class Float32AccuracyProperties {
  /** The unit roundoff of float32, 2⁻²⁴: the relative error of one rounding. */
  private static final double UNIT_ROUNDOFF = 0x1p-24;

  /**
   * The relative part of the tolerance, 16 roundings. The deepest op of the registry, a fused
   * gate's backward, chains about eight roundings from an input to an output element (a gate's
   * sigmoid or tanh, each computed in double and rounded once, then products and differences of
   * them), each of relative error at most u: 16 u leaves a factor of two over that.
   */
  private static final double RTOL = 16 * UNIT_ROUNDOFF;

  /**
   * The absolute part, per unit of scale: a sum (a reduction, a product's inner sum, the gradient
   * of a broadcast, a softmax's denominator) rounds once per term, so its error grows with its
   * length and with the size of its terms, not of its result, which may cancel to near 0. The scale
   * is the length of the longest sum the op can take, bounded by the size of its largest input or
   * output, times the largest magnitude among the inputs, the cotangent and the result, a bound on
   * a term's size (division's terms outgrow it, and {@link #largestTerm} bounds them): a rounding
   * of u per term, four times over, is the allowance.
   *
   * <p>Over 1,200 draws of every case, the largest error of an output or gradient was 1.4 u (|a64|
   * + scale), in {@code logSoftmaxBackward}'s output, against a bound of at least 4 u (|a64| +
   * scale).
   */
  private static final double ATOL = 4 * UNIT_ROUNDOFF;

  /**
   * How many first-order passes deep the second-order pass is: it differentiates the backward
   * rules, whose derivatives chain as many roundings again, so its tolerance is twice the first
   * order's. Over 600 draws of every case its largest error was 2.6 u (|a64| + scale), in {@code
   * logSoftmaxBackward}, whose second derivative multiplies the cotangent, {@code e^y} and a sum of
   * {@code g}, against a bound of at least 8 u (|a64| + scale). Division's reached 15 u before its
   * terms joined the scale ({@link #largestTerm}), and 0.75 u over 3,000 draws after.
   */
  private static final int SECOND_ORDER_DEPTH = 2;

  /** The registry's one case that converts: its output is float64 whatever its input's dtype. */
  private static final String CONVERTS_TO_FLOAT64 = "to float64";

  /** The registry's division, whose derivatives grow as its divisor shrinks (see largestTerm). */
  private static final String DIVISION = "div";

  private static final long COTANGENT_SEED = 20260101;

  @Property(tries = 20, edgeCases = EdgeCasesMode.NONE)
  void float32OutputsAndGradientsMatchFloat64OnTheSameValues(
      @ForAll("everyCase") List<Tuple2<OpCase, List<Tensor>>> examples) {
    for (Tuple2<OpCase, List<Tensor>> example : examples) {
      compare(example.get1(), example.get2());
    }
  }

  @Property(tries = 10, edgeCases = EdgeCasesMode.NONE)
  void float32SecondOrderMatchesFloat64OnTheSameValues(
      @ForAll("everyCase") List<Tuple2<OpCase, List<Tensor>>> examples) {
    for (Tuple2<OpCase, List<Tensor>> example : examples) {
      compareSecondOrder(example.get1(), example.get2());
    }
  }

  /** Every case of the registry, each with inputs drawn from its own generator. */
  @Provide
  Arbitrary<List<Tuple2<OpCase, List<Tensor>>>> everyCase() {
    return Combinators.combine(
            OpCases.all().stream()
                .map(opCase -> opCase.inputs().map(inputs -> Tuple.of(opCase, inputs)))
                .toList())
        .as(List::copyOf);
  }

  private static void compare(OpCase opCase, List<Tensor> drawn) {
    List<Tensor> inputs32 = drawn.stream().map(x -> x.to(FLOAT32)).toList();
    List<Tensor> inputs64 = inputs32.stream().map(x -> x.to(FLOAT64)).toList();
    Evaluation inFloat32 = Evaluation.of(opCase, inputs32, null);
    Evaluation inFloat64 = Evaluation.of(opCase, inputs64, inFloat32.cotangent.to(FLOAT64));

    DType outputDType = opCase.name().equals(CONVERTS_TO_FLOAT64) ? FLOAT64 : FLOAT32;
    assertEquals(outputDType, inFloat32.output.dtype(), () -> opCase + ": the output's dtype");
    double cotangentMagnitude = largestMagnitude(List.of(inFloat32.cotangent));
    double inputMagnitude = largestMagnitude(inputs64);
    double termMagnitude =
        Math.max(inputMagnitude, largestTerm(opCase, inputs64, cotangentMagnitude));
    int longestSum = longestSum(inputs64, inFloat64.output.size());
    assertClose(
        opCase + ": output", inFloat64.output, inFloat32.output, longestSum, inputMagnitude, 1);
    for (int i = 0; i < inputs32.size(); i++) {
      Tensor gradient = inFloat32.gradients.get(i);
      assertEquals(FLOAT32, gradient.dtype(), opCase + ": the gradient's dtype of input " + i);
      assertClose(
          opCase + ": gradient of input " + i,
          inFloat64.gradients.get(i),
          gradient,
          longestSum,
          Math.max(termMagnitude, cotangentMagnitude),
          1);
    }
  }

  /**
   * Compares the derivative of {@code <gradient, direction>} for a fixed cotangent and direction:
   * the backward pass recorded and differentiated again, in each dtype. Its terms are products of
   * the cotangent, the direction and derivatives of the op, so their sizes join the scale.
   */
  private static void compareSecondOrder(OpCase opCase, List<Tensor> drawn) {
    List<Tensor> inputs32 = drawn.stream().map(x -> x.to(FLOAT32)).toList();
    List<Tensor> inputs64 = inputs32.stream().map(x -> x.to(FLOAT64)).toList();
    SecondOrder inFloat32 = SecondOrder.of(opCase, inputs32);
    SecondOrder inFloat64 = SecondOrder.of(opCase, inputs64);
    double magnitude =
        Math.max(
            Math.max(largestMagnitude(inputs64), inFloat32.seedMagnitude),
            largestTerm(opCase, inputs64, inFloat32.seedMagnitude));
    int longestSum = longestSum(inputs64, inFloat64.outputSize);
    for (int i = 0; i < inputs32.size(); i++) {
      Tensor second = inFloat32.derivatives.get(i);
      assertEquals(FLOAT32, second.dtype(), opCase + ": the second order's dtype of input " + i);
      assertClose(
          opCase + ": second order, input " + i,
          inFloat64.derivatives.get(i),
          second,
          longestSum,
          magnitude,
          SECOND_ORDER_DEPTH);
    }
  }

  /**
   * The derivatives of {@code <∇<u, f>, d>} for a seeded cotangent u and direction d, rounded to
   * float32, and the largest magnitude among u and d.
   */
  private record SecondOrder(List<Tensor> derivatives, double seedMagnitude, int outputSize) {
    static SecondOrder of(OpCase opCase, List<Tensor> inputs) {
      Random random = new Random(COTANGENT_SEED);
      List<Tensor> seeds = new ArrayList<>();
      try (Tape outer = Tape.record()) {
        List<Var> vars = inputs.stream().map(Var::constant).toList();
        List<Var> gradient;
        int outputSize;
        try (Tape inner = Tape.record()) {
          Var y = opCase.apply().apply(vars);
          outputSize = y.value().size();
          seeds.add(roundedNormal(y, random));
          Gradients gradients = inner.gradient(y, seeds.get(0), vars);
          gradient = vars.stream().map(gradients::of).toList();
        }
        Var slope = null;
        for (int i = 0; i < vars.size(); i++) {
          seeds.add(roundedNormal(vars.get(i), random));
          Var term = gradient.get(i).mul(Var.constant(seeds.get(i + 1))).sum();
          slope = slope == null ? term : slope.add(term);
        }
        Gradients second = outer.gradient(slope, vars);
        return new SecondOrder(
            vars.stream().map(second::tensor).toList(), largestMagnitude(seeds), outputSize);
      }
    }

    /** Standard normals of {@code like}'s shape, rounded to float32, in its dtype. */
    private static Tensor roundedNormal(Var like, Random random) {
      return Tensor.randomNormal(like.shape(), 0, 1, random).to(FLOAT32).to(like.dtype());
    }
  }

  /** An op's output at some inputs, and their gradients for a cotangent. */
  private record Evaluation(Tensor output, Tensor cotangent, List<Tensor> gradients) {
    /**
     * The op at {@code inputs} and its vector-Jacobian product with {@code cotangent}, or with a
     * seeded one rounded to float32 (in the output's dtype) when that is null.
     */
    static Evaluation of(OpCase opCase, List<Tensor> inputs, Tensor cotangent) {
      try (Tape tape = Tape.record()) {
        List<Var> vars = inputs.stream().map(Var::constant).toList();
        Var y = opCase.apply().apply(vars);
        Tensor seed =
            cotangent != null
                ? cotangent
                : Tensor.randomNormal(y.shape(), 0, 1, new Random(COTANGENT_SEED))
                    .to(FLOAT32)
                    .to(y.dtype());
        Gradients gradients = tape.gradient(y, seed, vars);
        return new Evaluation(y.value(), seed, vars.stream().map(gradients::tensor).toList());
      }
    }
  }

  /**
   * Fails unless {@code |a32 − a64| <= depth (RTOL |a64| + ATOL scale)} at every element, naming
   * the first that is not; the scale is {@code longestSum} times the larger of {@code magnitude}
   * and the result's largest magnitude.
   */
  private static void assertClose(
      String what, Tensor expected, Tensor actual, int longestSum, double magnitude, int depth) {
    assertEquals(expected.shape(), actual.shape(), what + ": shape");
    double scale = longestSum * Math.max(magnitude, largestMagnitude(List.of(expected)));
    for (int i = 0; i < expected.size(); i++) {
      double a64 = expected.getFlat(i);
      double a32 = actual.getFlat(i);
      double bound = depth * (RTOL * Math.abs(a64) + ATOL * scale);
      if (!(Math.abs(a32 - a64) <= bound)) {
        fail(
            String.format(
                "%s: element %d is %s in float32 and %s in float64, %.3g apart, %.3g u (|a64| +"
                    + " scale); the bound is %.3g",
                what,
                i,
                a32,
                a64,
                Math.abs(a32 - a64),
                Math.abs(a32 - a64) / (UNIT_ROUNDOFF * (Math.abs(a64) + scale)),
                bound));
      }
    }
  }

  /**
   * How large a term of a gradient's sum can grow where the op's derivatives outgrow its inputs, 0
   * elsewhere. Only division does among the registry's ops: its derivatives with respect to the
   * divisor b divide by b again at each order. The gradient of a / b is g / b and −g a / b², and
   * the derivative of {@code <gradient, d>} with respect to b is g (2 (a / b) d_b − d_a) / b²: two
   * terms that may cancel to a result far below them, whose roundings the result keeps. With s the
   * largest seed (g or d), A the largest |a| and B the smallest |b|, every such term is at most s
   * max(1, s) (1 + 2 A / B) / B².
   */
  private static double largestTerm(OpCase opCase, List<Tensor> inputs, double seedMagnitude) {
    if (!opCase.name().equals(DIVISION)) {
      return 0;
    }
    double dividend = largestMagnitude(List.of(inputs.get(0)));
    double divisor = smallestMagnitude(inputs.get(1));
    return seedMagnitude
        * Math.max(1, seedMagnitude)
        * (1 + 2 * dividend / divisor)
        / (divisor * divisor);
  }

  private static double smallestMagnitude(Tensor t) {
    double smallest = Double.POSITIVE_INFINITY;
    for (int i = 0; i < t.size(); i++) {
      smallest = Math.min(smallest, Math.abs(t.getFlat(i)));
    }
    return smallest;
  }

  /** The longest sum an op can take: bounded by the size of its largest input or of its output. */
  private static int longestSum(List<Tensor> inputs, int outputSize) {
    return Math.max(outputSize, inputs.stream().mapToInt(Tensor::size).max().orElseThrow());
  }

  private static double largestMagnitude(List<Tensor> tensors) {
    double largest = 0;
    for (Tensor t : tensors) {
      for (int i = 0; i < t.size(); i++) {
        largest = Math.max(largest, Math.abs(t.getFlat(i)));
      }
    }
    return largest;
  }
}
