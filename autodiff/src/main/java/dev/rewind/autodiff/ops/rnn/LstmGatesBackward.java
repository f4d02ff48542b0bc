package dev.rewind.autodiff.ops.rnn;

import static dev.rewind.autodiff.ops.rnn.Rules.oneMinusTwice;
import static dev.rewind.autodiff.ops.rnn.Rules.orZeros;
import static dev.rewind.autodiff.ops.rnn.Rules.sigmoidBackward;
import static dev.rewind.autodiff.ops.rnn.Rules.tanhBackward;

import dev.rewind.autodiff.internal.GateKernels;
import dev.rewind.autodiff.internal.Gates;
import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.MultiOutputOp;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;

/**
 * The backward rule of {@link LstmGates} as one op with two outputs: {@code lstmGatesBackward(dh',
 * dc', a, c) = (da, dc)}, {@code [B, 4H]} and {@code [B, H]}, one fused kernel that takes the gates
 * from the forward pass (or computes them from {@code a} and {@code c}). Its own backward is
 * written with element-wise ops (the reverse of the formulas below, derived by hand), so gradients
 * of gradients through an LSTM work.
 *
 * <pre>
 *   D = dc' + dh' o (1 − t²),  t = tanh(c')
 *   da = [D g i(1 − i) | D c f(1 − f) | D i (1 − g²) | dh' t o(1 − o)],  dc = D f
 * </pre>
 */
public final class LstmGatesBackward extends MultiOutputOp {
  private final Gates forward;

  /** With the activations the forward pass computed, or null to compute them again. */
  LstmGatesBackward(Gates forward) {
    this.forward = forward;
  }

  /** Computing the activations from {@code a} and {@code c}. */
  public LstmGatesBackward() {
    this(null);
  }

  @Override
  public String name() {
    return "lstmGatesBackward";
  }

  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 4, shapes);
    GateKernels.checkLstmBackward(name(), shapes[0], shapes[1], shapes[2], shapes[3]);
  }

  @Override
  protected Tensor[] forwardAll(Tensor... in) {
    Gates gates = forward != null ? forward : GateKernels.lstm(in[2], in[3]);
    return GateKernels.lstmBackward(in[0], in[1], in[3], gates);
  }

  @Override
  protected Var[] backwardAll(Var... gradOutputs) {
    Var a = input(2);
    Var c = input(3);
    int size = c.shape().dim(1);
    List<Var> gate = a.split(1, size, size, size, size);
    Var i = gate.get(0).sigmoid();
    Var f = gate.get(1).sigmoid();
    Var g = gate.get(2).tanh();
    Var o = gate.get(3).sigmoid();
    Var t = f.mul(c).add(i.mul(g)).tanh();
    Var dh = input(0);
    Var dNext = input(1).add(tanhBackward(dh.mul(o), t));
    // The upstream gradients of da_i, da_f, da_g, da_o and dc, then those of D and of c'.
    List<Var> up = orZeros(gradOutputs[0], a).split(1, size, size, size, size);
    Var ui = up.get(0);
    Var uf = up.get(1);
    Var ug = up.get(2);
    Var uo = up.get(3);
    Var uc = orZeros(gradOutputs[1], c);
    Var uD =
        sigmoidBackward(ui.mul(g), i)
            .add(sigmoidBackward(uf.mul(c), f))
            .add(tanhBackward(ug.mul(i), g))
            .add(uc.mul(f));
    Var[] gradients = new Var[4];
    if (needsGradient(0)) {
      gradients[0] = tanhBackward(uD.mul(o), t).add(sigmoidBackward(uo.mul(t), o));
    }
    if (needsGradient(1)) {
      gradients[1] = uD;
    }
    if (!needsGradient(2) && !needsGradient(3)) {
      return gradients;
    }
    Var uNext =
        tanhBackward(uD.mul(dh).mul(o).mul(t).mul(-2.0).add(sigmoidBackward(uo.mul(dh), o)), t);
    if (needsGradient(2)) {
      Var di = ui.mul(dNext).mul(g).mul(oneMinusTwice(i)).add(tanhBackward(ug.mul(dNext), g));
      Var df = uf.mul(dNext).mul(c).mul(oneMinusTwice(f)).add(uc.mul(dNext));
      Var dg = sigmoidBackward(ui.mul(dNext), i).add(ug.mul(dNext).mul(i).mul(g).mul(-2.0));
      Var d0 = uo.mul(dh).mul(t).mul(oneMinusTwice(o)).add(tanhBackward(uD.mul(dh), t));
      gradients[2] =
          Var.concat(
              1,
              sigmoidBackward(di.add(uNext.mul(g)), i),
              sigmoidBackward(df.add(uNext.mul(c)), f),
              tanhBackward(dg.add(uNext.mul(i)), g),
              sigmoidBackward(d0, o));
    }
    if (needsGradient(3)) {
      gradients[3] = sigmoidBackward(uf.mul(dNext), f).add(uNext.mul(f));
    }
    return gradients;
  }
}
