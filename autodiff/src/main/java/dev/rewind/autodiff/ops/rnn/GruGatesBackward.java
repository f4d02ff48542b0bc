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
 * The backward rule of {@link GruGates} as one op with three outputs: {@code gruGatesBackward(dh',
 * ax, ah, h) = (dax, dah, dh)}, {@code [B, 3H]}, {@code [B, 3H]} and {@code [B, H]}, one fused
 * kernel that takes the gates from the forward pass (or computes them from the inputs). Its own
 * backward is written with element-wise ops (the reverse of the formulas below, derived by hand),
 * so gradients of gradients through a GRU work.
 *
 * <pre>
 *   P = dh' (1 − z) (1 − n²),  R = P ah_n r(1 − r),  Z = dh' (h − n) z(1 − z)
 *   dax = [R | Z | P],  dah = [R | Z | P r],  dh = dh' z
 * </pre>
 */
public final class GruGatesBackward extends MultiOutputOp {
  private final Gates forward;

  /** With the activations the forward pass computed, or null to compute them again. */
  GruGatesBackward(Gates forward) {
    this.forward = forward;
  }

  /** Computing the activations from {@code ax}, {@code ah} and {@code h}. */
  public GruGatesBackward() {
    this(null);
  }

  @Override
  public String name() {
    return "gruGatesBackward";
  }

  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 4, shapes);
    GateKernels.checkGruBackward(name(), shapes[0], shapes[1], shapes[2], shapes[3]);
  }

  @Override
  protected Tensor[] forwardAll(Tensor... in) {
    Gates gates = forward != null ? forward : GateKernels.gru(in[1], in[2], in[3]);
    return GateKernels.gruBackward(in[0], in[2], in[3], gates);
  }

  @Override
  protected Var[] backwardAll(Var... gradOutputs) {
    Var dNext = input(0);
    Var h = input(3);
    int size = h.shape().dim(1);
    List<Var> fromInput = input(1).split(1, size, size, size);
    List<Var> fromState = input(2).split(1, size, size, size);
    Var r = fromInput.get(0).add(fromState.get(0)).sigmoid();
    Var z = fromInput.get(1).add(fromState.get(1)).sigmoid();
    Var m = fromState.get(2);
    Var n = fromInput.get(2).add(r.mul(m)).tanh();
    Var dn = dNext.sub(dNext.mul(z));
    Var dz = dNext.mul(h.sub(n));
    Var p = tanhBackward(dn, n);
    // The upstream gradients of the blocks of dax and dah and of dh, then those of R, Z, P, dz
    // and dn.
    List<Var> upX = orZeros(gradOutputs[0], input(1)).split(1, size, size, size);
    List<Var> upH = orZeros(gradOutputs[1], input(2)).split(1, size, size, size);
    Var uh = orZeros(gradOutputs[2], h);
    Var uR = upX.get(0).add(upH.get(0));
    Var uZ = upX.get(1).add(upH.get(1));
    Var uP = upX.get(2).add(upH.get(2).mul(r)).add(sigmoidBackward(uR.mul(m), r));
    Var uDz = sigmoidBackward(uZ, z);
    Var uDn = tanhBackward(uP, n);
    Var[] gradients = new Var[4];
    if (needsGradient(0)) {
      gradients[0] = uDn.sub(uDn.mul(z)).add(uDz.mul(h.sub(n))).add(uh.mul(z));
    }
    if (needsGradient(3)) {
      gradients[3] = uDz.mul(dNext);
    }
    if (!needsGradient(1) && !needsGradient(2)) {
      return gradients;
    }
    Var un = uP.mul(dn).mul(n).mul(-2.0).sub(uDz.mul(dNext));
    Var uCandidate = tanhBackward(un, n);
    Var ur = upH.get(2).mul(p).add(uR.mul(p).mul(m).mul(oneMinusTwice(r))).add(uCandidate.mul(m));
    Var uz = uZ.mul(dz).mul(oneMinusTwice(z)).sub(uDn.mul(dNext)).add(uh.mul(dNext));
    Var uReset = sigmoidBackward(ur, r);
    Var uUpdate = sigmoidBackward(uz, z);
    if (needsGradient(1)) {
      gradients[1] = Var.concat(1, uReset, uUpdate, uCandidate);
    }
    if (needsGradient(2)) {
      Var um = sigmoidBackward(uR.mul(p), r).add(uCandidate.mul(r));
      gradients[2] = Var.concat(1, uReset, uUpdate, um);
    }
    return gradients;
  }
}
