package dev.rewind.autodiff.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.check.GradCheck;
import dev.rewind.autodiff.check.GradCheckResult;
import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The code shown in README.md, run as written, so that the README cannot drift from the API. */
class ReadmeExamplesTest {

  @Test
  void quickStartUnrollsAnRnnAndGetsBpttFromTheTape() {
    Random random = new Random(42);
    Parameter u = new Parameter("U", Tensor.randomNormal(Shape.of(3, 4), 0, 0.5, random));
    Parameter w = new Parameter("W", Tensor.randomNormal(Shape.of(4, 4), 0, 0.5, random));
    Parameter b = new Parameter("b", Tensor.zeros(4));
    Var xs =
        Var.constant(Tensor.randomNormal(Shape.of(2, 5, 3), 0, 1, random)); // [batch, time, in]

    try (Tape tape = Tape.record()) {
      Var h = Var.constant(Tensor.zeros(2, 4));
      for (Var x : xs.unstack(1)) { // one step per time slice: H(t) = tanh(X(t)U + H(t-1)W + b)
        h = x.matmul(u).add(h.matmul(w)).add(b).tanh();
      }
      Var loss = h.square().mean();
      Gradients gradients = tape.gradient(loss, u, w, b); // BPTT: W was used at every step
      Tensor dW = gradients.tensor(w);
      assertEquals(Shape.of(4, 4), dW.shape());
    }

    GradCheckResult result =
        GradCheck.of(
                in -> {
                  Var h = Var.constant(Tensor.zeros(2, 4));
                  for (Var x : xs.unstack(1)) {
                    h = x.matmul(in.get(0)).add(h.matmul(in.get(1))).tanh();
                  }
                  return h.square().mean();
                })
            .check(u.value(), w.value());
    assertTrue(result.passed(), result::toString);
  }

  @Test
  void hessianVectorProductFromNestedTapes() {
    Var x = Var.constant(Tensor.vector(0.5, -1.0, 2.0));
    Tensor v = Tensor.vector(1, 0, 0);
    try (Tape outer = Tape.record()) {
      Var gradient;
      try (Tape inner = Tape.record()) {
        gradient = inner.gradient(x.tanh().sum(), x).of(x); // recorded on the outer tape
      }
      Var hv = outer.gradient(gradient.mul(Var.constant(v)).sum(), x).of(x);
      double t = Math.tanh(0.5);
      assertEquals(-2 * t * (1 - t * t), hv.value().getFlat(0), 1e-15);
      assertEquals(0.0, hv.value().getFlat(1));
    }
  }

  @Test
  void gradCheckOfAUsersOwnFunction() {
    Tensor x = Tensor.matrix(new double[][] {{0.5, -1.0}, {2.0, 0.3}});
    GradCheckResult result =
        GradCheck.of(in -> in.get(0).softmax(-1).log().sum()).check(x).orThrow();
    assertTrue(result.passed());
    assertTrue(GradCheck.of(in -> in.get(0).tanh().sum()).checkSecondOrder(x).passed());
    assertTrue(
        GradCheck.of(in -> in.get(0).exp().sum())
            .checkHandDerived(List.of(Tensor.of(x.shape(), expOf(x))), x)
            .passed());
  }

  private static double[] expOf(Tensor x) {
    double[] values = x.toArray();
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.exp(values[i]);
    }
    return values;
  }
}
