package dev.rewind.autodiff.ops.rnn;

import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.GateKernels;
import dev.rewind.autodiff.tensor.GradientSum;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * The gate block of PyTorch's {@code nn.LSTM} as one op: {@code lstmGates(a, c) = [h' | c']}, from
 * the pre-activations {@code a [B, 4H]} (blocks i, f, g, o, both biases included) and the memory
 * {@code c [B, H]}, to {@code [B, 2H]}. It replaces a dozen element-wise ops, and their tensors,
 * per time step.
 *
 * <pre>
 *   i = σ(a_i),  f = σ(a_f),  g = tanh(a_g),  o = σ(a_o)
 *   c' = f ⊙ c + i ⊙ g,  h' = o ⊙ tanh(c')
 *   backward: [da | dc] = lstmGatesGrad([dh' | dc'], a, c)
 * </pre>
 */
public final class LstmGates extends Op {
  // The forward's activations, for the backward: constants of this application.
  private GateKernels.Gates gates;
  // The backward pass without a recording tape asks for the gradients one input at a time; they
  // are computed together for the first and dropped after the last (when that input takes no
  // gradient, they stay until the tape that holds this op is dropped).
  private Tensor gradOutputSeen;
  private Tensor[] inputGradients;

  @Override
  public String name() {
    return "lstmGates";
  }

  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 2, shapes);
    GateKernels.checkLstm(name(), shapes[0], shapes[1]);
  }

  @Override
  protected Tensor forward(Tensor... in) {
    gates = GateKernels.lstm(in[0], in[1]);
    return gates.output();
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    Var a = input(0);
    Var c = input(1);
    Var gradients = new LstmGatesGrad(gates).apply(gradOutput, a, c);
    int gates = a.shape().dim(1);
    return new Var[] {
      needsGradient(0) ? gradients.slice(1, 0, gates) : null,
      needsGradient(1) ? gradients.slice(1, gates, gates + c.shape().dim(1)) : null
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
      inputGradients = GateKernels.lstmBackwardParts(gradOutput, input(1).value(), gates);
    }
    into.add(inputGradients[index]);
    if (index == 1) {
      gradOutputSeen = null;
      inputGradients = null;
    }
    return true;
  }
}
