package dev.rewind.layers.custom;

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
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.RecurrentCell;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A cell that the library does not ship — the minimal gated unit (Zhou et al., 2016) — written as a
 * lambda in a few lines: it gets unrolling, BPTT from the tape and a one-call gradient check, and
 * trains through the parameters it closes over. docs/cells.md ("Your own cell") shows the same
 * cell.
 */
class MinimalGatedUnitTest {

  /**
   * The minimal gated unit: one forget gate f does the work of the GRU's two.
   *
   * <pre>
   *   f    = σ(x W_f + h U_f + b_f)
   *   h̃    = tanh(x W_h + (f ⊙ h) U_h + b_h)
   *   h(t) = (1 − f) ⊙ h + f ⊙ h̃
   * </pre>
   */
  static RecurrentCell<HiddenState> mgu(Var wf, Var uf, Var bf, Var wh, Var uh, Var bh) {
    return RecurrentCell.of(
        wf.shape().dim(0),
        uf.shape().dim(0),
        (x, h) -> {
          Var f = x.matmul(wf).add(h.matmul(uf)).add(bf).sigmoid();
          Var candidate = x.matmul(wh).add(f.mul(h).matmul(uh)).add(bh).tanh();
          return h.add(f.mul(candidate.sub(h))); // (1 − f) ⊙ h + f ⊙ h̃
        });
  }

  @Test
  void bpttThroughAMinimalGatedUnitMatchesCentralDifferences() {
    Random random = new Random(42);
    Tensor xs = Tensor.randomNormal(Shape.of(2, 5, 3), 0, 1, random); // [batch, time, in]
    Tensor wf = Tensor.randomNormal(Shape.of(3, 4), 0, 0.5, random);
    Tensor uf = Tensor.randomNormal(Shape.of(4, 4), 0, 0.5, random);
    Tensor bf = Tensor.randomNormal(Shape.of(4), 0, 0.5, random);
    Tensor wh = Tensor.randomNormal(Shape.of(3, 4), 0, 0.5, random);
    Tensor uh = Tensor.randomNormal(Shape.of(4, 4), 0, 0.5, random);
    Tensor bh = Tensor.randomNormal(Shape.of(4), 0, 0.5, random);

    GradCheckResult result =
        GradCheck.of(
                in -> {
                  var cell = mgu(in.get(1), in.get(2), in.get(3), in.get(4), in.get(5), in.get(6));
                  return new Recurrent<>(cell).run(in.get(0)).stacked().sum();
                })
            .check(xs, wf, uf, bf, wh, uh, bh);

    assertTrue(result.passed(), result::toString);
  }

  @Test
  void itTrainsLikeAnyOtherCellThroughItsParameters() {
    Random random = new Random(7);
    Parameter wf = new Parameter("Wf", Tensor.randomNormal(Shape.of(3, 4), 0, 0.5, random));
    Parameter uf = new Parameter("Uf", Tensor.randomNormal(Shape.of(4, 4), 0, 0.5, random));
    Parameter bf = new Parameter("bf", Tensor.zeros(4));
    Parameter wh = new Parameter("Wh", Tensor.randomNormal(Shape.of(3, 4), 0, 0.5, random));
    Parameter uh = new Parameter("Uh", Tensor.randomNormal(Shape.of(4, 4), 0, 0.5, random));
    Parameter bh = new Parameter("bh", Tensor.zeros(4));
    Var xs = Var.constant(Tensor.randomNormal(Shape.of(2, 6, 3), 0, 1, random));
    RecurrentCell<HiddenState> cell = mgu(wf, uf, bf, wh, uh, bh);

    try (Tape tape = Tape.record()) {
      Var loss = new Recurrent<>(cell).run(xs).last().square().mean();
      Gradients gradients = tape.gradient(loss, uf, uh);

      assertEquals(Shape.of(4, 4), gradients.tensor(uf).shape());
      assertTrue(gradients.tensor(uh).isFinite());
    }
  }

  @Test
  void aClosedForgetGateKeepsTheStateAndAnOpenOneReplacesIt() {
    Var x = Var.constant(Tensor.ones(1, 2));
    Var h = Var.constant(Tensor.matrix(new double[][] {{0.3, -0.7}}));
    Var zero = Var.constant(Tensor.zeros(2, 2));
    Var w = Var.constant(Tensor.matrix(new double[][] {{0.5, -1}, {2, 0.25}}));
    Var closed = Var.constant(Tensor.full(Shape.of(2), -800));
    Var open = Var.constant(Tensor.full(Shape.of(2), 800));
    Var bh = Var.constant(Tensor.vector(0.1, 0.2));

    Tensor kept = mgu(zero, zero, closed, w, zero, bh).step(x, new HiddenState(h)).output().value();
    Tensor replaced =
        mgu(zero, zero, open, w, zero, bh).step(x, new HiddenState(h)).output().value();

    assertEquals(h.value(), kept);
    // With f = 1 the state is h̃ = tanh(x W_h + b_h), whatever it was.
    Tensor candidate = x.matmul(w).add(bh).tanh().value();
    assertEquals(candidate, replaced);
  }
}
