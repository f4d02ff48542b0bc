package dev.rewind.autodiff.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.check.TensorArbitraries;
import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;
import java.util.Random;
import java.util.function.BinaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/** The gradient contract of the tape, checked over the whole op registry. */
class GradientContractProperties {

  @Property(tries = 100)
  void gradientOfSumIsOnes(@ForAll("anyTensor") Tensor x) {
    try (Tape tape = Tape.record()) {
      Var leaf = Var.constant(x);
      assertEquals(Tensor.ones(x.shape()), tape.gradient(leaf.sum(), leaf).tensor(leaf));
    }
  }

  @Property(tries = 200)
  void broadcastOperandsGetGradientsOfTheirOwnShape(
      @ForAll("broadcastingOps") BinaryOperator<Var> op,
      @ForAll("broadcastablePair") List<Tensor> operands) {
    try (Tape tape = Tape.record()) {
      Var a = Var.constant(operands.get(0));
      Var b = Var.constant(operands.get(1));
      Gradients gradients = tape.gradient(op.apply(a, b).sum(), a, b);
      assertEquals(a.shape(), gradients.tensor(a).shape());
      assertEquals(b.shape(), gradients.tensor(b).shape());
    }
  }

  /** vjp(α s + β t) = α vjp(s) + β vjp(t): backward is linear in the seed gradient. */
  @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
  void backwardIsLinearInTheSeed(@ForAll("cases") Tuple2<OpCase, List<Tensor>> example) {
    OpCase opCase = example.get1();
    try (Tape tape = Tape.record()) {
      List<Var> inputs = example.get2().stream().map(Var::constant).toList();
      Var y = opCase.apply().apply(inputs);
      Random random = new Random(3);
      Tensor s = Tensor.randomNormal(y.shape(), 0, 1, random);
      Tensor t = Tensor.randomNormal(y.shape(), 0, 1, random);
      Tensor combined = Pointwise.add(Pointwise.scale(s, 2.5), Pointwise.scale(t, -0.75));
      Gradients ofS = tape.gradient(y, s, inputs);
      Gradients ofT = tape.gradient(y, t, inputs);
      Gradients ofCombined = tape.gradient(y, combined, inputs);
      for (Var input : inputs) {
        Tensor expected =
            Pointwise.add(
                Pointwise.scale(ofS.tensor(input), 2.5), Pointwise.scale(ofT.tensor(input), -0.75));
        assertTrue(
            ofCombined.tensor(input).allClose(expected, 1e-12, 1e-12),
            () -> opCase + ": " + ofCombined.tensor(input) + " vs " + expected);
      }
    }
  }

  /** A value used twice gets the sum of both uses' gradients: d(f(x) + f(x)) = 2 df(x). */
  @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
  void sharedUseAccumulates(@ForAll("cases") Tuple2<OpCase, List<Tensor>> example) {
    OpCase opCase = example.get1();
    try (Tape tape = Tape.record()) {
      List<Var> inputs = example.get2().stream().map(Var::constant).toList();
      Var once = opCase.apply().apply(inputs).sum();
      Var twice = once.add(opCase.apply().apply(inputs).sum());
      Gradients single = tape.gradient(once, inputs);
      Gradients doubled = tape.gradient(twice, inputs);
      for (Var input : inputs) {
        Tensor expected = Pointwise.scale(single.tensor(input), 2);
        assertTrue(
            doubled.tensor(input).allClose(expected, 1e-12, 1e-12),
            () -> opCase + ": " + doubled.tensor(input) + " vs " + expected);
      }
    }
  }

  @Provide
  Arbitrary<Tensor> anyTensor() {
    return TensorArbitraries.tensors(TensorArbitraries.shapes(0, 3, 4), -3, 3);
  }

  @Provide
  Arbitrary<BinaryOperator<Var>> broadcastingOps() {
    return Arbitraries.of(
        List.of(Var::add, Var::sub, Var::mul, Var::div, Var::maximum, Var::minimum));
  }

  @Provide
  Arbitrary<List<Tensor>> broadcastablePair() {
    return TensorArbitraries.broadcastablePairs(3, 4)
        .flatMap(
            pair ->
                TensorArbitraries.positive(pair.get(0), 0.5, 2)
                    .flatMap(
                        a ->
                            TensorArbitraries.positive(pair.get(1), 0.5, 2)
                                .map(b -> List.of(a, b))));
  }

  @Provide
  Arbitrary<Tuple2<OpCase, List<Tensor>>> cases() {
    return Arbitraries.of(OpCases.all())
        .flatMap(opCase -> opCase.inputs().map(inputs -> Tuple.of(opCase, inputs)));
  }
}
