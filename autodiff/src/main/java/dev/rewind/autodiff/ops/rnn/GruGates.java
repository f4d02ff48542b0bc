package dev.rewind.autodiff.ops.rnn;

import dev.rewind.autodiff.internal.GateKernels;
import dev.rewind.autodiff.internal.Gates;
import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.GradientSum;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;

/**
 * The gate block of PyTorch's {@code nn.GRU} (the reset gate applied after {@code W_hn}) as one op:
 * {@code gruGates(ax, ah, h) = h'}, from {@code ax = x W_ih + b_ih} and {@code ah = h W_hh + b_hh}
 * ({@code [B, 3H]} each, blocks r, z, n) and the state {@code h [B, H]}, to {@code [B, H]}. It
 * replaces a dozen element-wise ops, and their tensors, per time step.
 *
 * <p>Given a step {@code t}, ax is the projection of a whole sequence {@code [B, T, 3H]} and the op
 * reads its step t in place, as {@link RecurrentAffine} reads x; ax's gradient is added at step t.
 *
 * <pre>
 *   r = σ(ax_r + ah_r),  z = σ(ax_z + ah_z),  n = tanh(ax_n + r ⊙ ah_n)
 *   h' = (1 − z) ⊙ n + z ⊙ h
 *   backward: (dax, dah, dh) = gruGatesBackward(dh', ax, ah, h)
 * </pre>
 */
public final class GruGates extends Op {
  // The step read from a sequence ax, or −1 when ax is the step's [B, 3H] itself.
  private final int step;
  // The forward's activations, for the backward: constants of this application.
  private Gates gates;

  /** The step's ax [B, 3H]. */
  public GruGates() {
    this(-1);
  }

  /** Step {@code step} of a sequence's projection ax [B, T, 3H]. */
  public GruGates(int step) {
    this.step = step;
  }

  @Override
  public String name() {
    return "gruGates";
  }

  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 3, shapes);
    if (step < 0) {
      GateKernels.checkGru(name(), shapes[0], shapes[1], shapes[2]);
    } else {
      GateKernels.checkGruStep(name(), shapes[0], step, shapes[1], shapes[2]);
    }
  }

  @Override
  protected Tensor forward(Tensor... in) {
    gates =
        step < 0
            ? GateKernels.gru(in[0], in[1], in[2])
            : GateKernels.gru(in[0], step, in[1], in[2]);
    return gates.output();
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    Var ax = step < 0 ? input(0) : input(0).select(1, step);
    List<Var> gradients = new GruGatesBackward(gates).applyAll(gradOutput, ax, input(1), input(2));
    return new Var[] {
      needsGradient(0) ? placed(gradients.get(0)) : null,
      needsGradient(1) ? gradients.get(1) : null,
      needsGradient(2) ? gradients.get(2) : null
    };
  }

  /** The gradient of the step's ax, {@code [B, 3H]}, placed at its step of the sequence. */
  private Var placed(Var stepGradient) {
    if (step < 0) {
      return stepGradient;
    }
    Shape axs = input(0).shape();
    return stepGradient.reshape(axs.dim(0), 1, axs.dim(2)).pad(1, step, axs.dim(1) - step - 1);
  }

  /**
   * The three inputs' gradients from one kernel, each added to its sum: ah's and h's as tensors of
   * their own, ax's from a scratch array, copied into its sum (a sequence's, at its step), so that
   * the steps of an unroll leave no {@code [B, 3H]} array each behind.
   */
  @Override
  protected boolean backwardInPlace(Tensor[] gradOutputs, GradientSum[] into) {
    Tensor[] gradients =
        GateKernels.gruBackwardInScratch(gradOutputs[0], inputValue(1), inputValue(2), gates);
    if (into[0] != null) {
      if (step < 0) {
        into[0].addCopy(gradients[0]);
      } else {
        Shape axs = input(0).shape();
        into[0].addSlice(gradients[0].reshape(Shape.of(axs.dim(0), 1, axs.dim(2))), 1, step);
      }
    }
    for (int i = 1; i < 3; i++) {
      if (into[i] != null) {
        into[i].add(gradients[i]);
      }
    }
    return true;
  }
}
