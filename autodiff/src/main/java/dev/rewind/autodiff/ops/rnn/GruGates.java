package dev.rewind.autodiff.ops.rnn;

import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.GateKernels;
import dev.rewind.autodiff.tensor.GradientSum;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * The gate block of PyTorch's {@code nn.GRU} (the reset gate applied after {@code W_hn}) as one op:
 * {@code gruGates(ax, ah, h) = h'}, from {@code ax = x W_ih + b_ih} and {@code ah = h W_hh + b_hh}
 * ({@code [B, 3H]} each, blocks r, z, n) and the state {@code h [B, H]}, to {@code [B, H]}. It
 * replaces a dozen element-wise ops, and their tensors, per time step.
 *
 * <pre>
 *   r = σ(ax_r + ah_r),  z = σ(ax_z + ah_z),  n = tanh(ax_n + r ⊙ ah_n)
 *   h' = (1 − z) ⊙ n + z ⊙ h
 *   backward: [dax | dah | dh] = gruGatesGrad(dh', ax, ah, h)
 * </pre>
 */
public final class GruGates extends Op {
  // The forward's activations, for the backward: constants of this application.
  private GateKernels.Gates gates;
  // The backward pass without a recording tape asks for the gradients one input at a time; they
  // are computed together for the first and dropped after the last (when that input takes no
  // gradient, they stay until the tape that holds this op is dropped).
  private Tensor gradOutputSeen;
  private Tensor[] inputGradients;

  @Override
  public String name() {
    return "gruGates";
  }

  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 3, shapes);
    GateKernels.checkGru(name(), shapes[0], shapes[1], shapes[2]);
  }

  @Override
  protected Tensor forward(Tensor... in) {
    gates = GateKernels.gru(in[0], in[1], in[2]);
    return gates.output();
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    Var gradients = new GruGatesGrad(gates).apply(gradOutput, input(0), input(1), input(2));
    int gates = input(0).shape().dim(1);
    int hidden = input(2).shape().dim(1);
    return new Var[] {
      needsGradient(0) ? gradients.slice(1, 0, gates) : null,
      needsGradient(1) ? gradients.slice(1, gates, 2 * gates) : null,
      needsGradient(2) ? gradients.slice(1, 2 * gates, 2 * gates + hidden) : null
    };
  }

  /**
   * Adds each input's gradient to its sum as a tensor of its own, where {@link #backward} slices
   * them from one block.
   */
  @Override
  protected boolean accumulateGradient(int index, Tensor gradOutput, GradientSum into) {
    if (gradOutput != gradOutputSeen) {
      gradOutputSeen = gradOutput;
      inputGradients =
          GateKernels.gruBackwardParts(gradOutput, input(1).value(), input(2).value(), gates);
    }
    into.add(inputGradients[index]);
    if (index == 2) {
      gradOutputSeen = null;
      inputGradients = null;
    }
    return true;
  }
}
