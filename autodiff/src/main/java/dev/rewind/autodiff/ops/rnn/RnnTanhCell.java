package dev.rewind.autodiff.ops.rnn;

import dev.rewind.autodiff.internal.BackwardKernels;
import dev.rewind.autodiff.internal.GateKernels;
import dev.rewind.autodiff.internal.SparseLeft;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * One step of an Elman network with tanh (PyTorch's {@code rnn_tanh_cell}) as one op: {@code
 * rnnTanhCell(x, h, U, W, b) = tanh(h W + (x U + b))} for {@code x [B, in]}, {@code h [B, H]},
 * {@code U [in, H]}, {@code W [H, H]} and {@code b [H]}, the numbers of {@code h.affine(W,
 * x.affine(U, b)).tanh()}. Of everything a step computes it keeps only its output, as PyTorch keeps
 * only what backward reads: an unrolled sequence holds one {@code [B, H]} tensor per step where the
 * three ops hold three.
 *
 * <p>It is {@link RecurrentAffine} through tanh, and reads a step of a sequence in place as that
 * does.
 *
 * <pre>
 *   forward:  y = tanh(h W + (x U + b))
 *   backward: da = g (1 − y²),   dx = da Uᵀ,   dh = da Wᵀ,   dU = xᵀ da,   dW = hᵀ da,   db = Σ_rows da
 * </pre>
 */
public final class RnnTanhCell extends RecurrentAffine {
  /** The step of x [B, in]. */
  public RnnTanhCell() {
    super();
  }

  /** Step {@code step} of a sequence x [B, T, in]. */
  public RnnTanhCell(int step) {
    super(step);
  }

  @Override
  public String name() {
    return "rnnTanhCell";
  }

  /** H: the output is the next state. */
  @Override
  protected int columns(Shape h, Shape w) {
    return h.dim(1);
  }

  @Override
  protected Tensor step(Tensor x, SparseLeft xNonZeros, Tensor h, Tensor u, Tensor w, Tensor b) {
    return GateKernels.rnnTanh(x, xNonZeros, h, u, w, b);
  }

  @Override
  protected Tensor preActivationGradient(Tensor gradOutput) {
    return BackwardKernels.tanhInScratch(gradOutput, outputValue());
  }

  @Override
  protected Var preActivationGradient(Var gradOutput) {
    return Rules.tanhBackward(gradOutput, output());
  }
}
