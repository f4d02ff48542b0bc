package dev.rewind.autodiff.ops.rnn;

import static dev.rewind.autodiff.ops.rnn.Rules.orZeros;

import dev.rewind.autodiff.internal.GateKernels;
import dev.rewind.autodiff.internal.Gates;
import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.MultiOutputOp;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.GradientSum;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;

/**
 * The gate block of PyTorch's {@code nn.LSTM} as one op with two outputs: {@code lstmGates(a, c) =
 * (h', c')}, from the pre-activations {@code a [B, 4H]} (blocks i, f, g, o, both biases included)
 * and the memory {@code c [B, H]}, to {@code [B, H]} each. It replaces a dozen element-wise ops,
 * and their tensors, per time step.
 *
 * <pre>
 *   i = σ(a_i),  f = σ(a_f),  g = tanh(a_g),  o = σ(a_o)
 *   c' = f ⊙ c + i ⊙ g,  h' = o ⊙ tanh(c')
 *   backward: (da, dc) = lstmGatesBackward(dh', dc', a, c)
 * </pre>
 */
public final class LstmGates extends MultiOutputOp {
  // The forward's activations, for the backward: constants of this application.
  private Gates gates;

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
  protected Tensor[] forwardAll(Tensor... in) {
    gates = GateKernels.lstm(in[0], in[1]);
    return new Tensor[] {gates.output(), gates.memory()};
  }

  @Override
  protected Var[] backwardAll(Var... gradOutputs) {
    Var c = input(1);
    List<Var> gradients =
        new LstmGatesBackward(gates)
            .applyAll(orZeros(gradOutputs[0], c), orZeros(gradOutputs[1], c), input(0), c);
    return new Var[] {
      needsGradient(0) ? gradients.get(0) : null, needsGradient(1) ? gradients.get(1) : null
    };
  }

  /** Both inputs' gradients from one kernel, each added to its sum as a tensor of its own. */
  @Override
  protected boolean backwardInPlace(Tensor[] gradOutputs, GradientSum[] into) {
    Tensor[] gradients =
        GateKernels.lstmBackward(gradOutputs[0], gradOutputs[1], inputValue(1), gates);
    for (int i = 0; i < 2; i++) {
      if (into[i] != null) {
        into[i].add(gradients[i]);
      }
    }
    return true;
  }
}
