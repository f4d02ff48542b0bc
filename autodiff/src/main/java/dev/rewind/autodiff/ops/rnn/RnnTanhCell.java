package dev.rewind.autodiff.ops.rnn;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Derivatives;
import dev.rewind.autodiff.tensor.GateKernels;
import dev.rewind.autodiff.tensor.GradientSum;
import dev.rewind.autodiff.tensor.Reductions;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.SparseLeft;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * One step of an Elman network with tanh (PyTorch's {@code rnn_tanh_cell}) as one op: {@code
 * rnnTanhCell(x, h, U, W, b) = tanh(h W + (x U + b))} for {@code x [B, in]}, {@code h [B, H]},
 * {@code U [in, H]}, {@code W [H, H]} and {@code b [H]}, the numbers of {@code h.affine(W,
 * x.affine(U, b)).tanh()}. Of everything a step computes it keeps only its output, as PyTorch keeps
 * only what backward reads: an unrolled sequence holds one {@code [B, H]} tensor per step where the
 * three ops hold three.
 *
 * <pre>
 *   forward:  y = tanh(h W + (x U + b))
 *   backward: da = g (1 − y²),   dx = da Uᵀ,   dh = da Wᵀ,   dU = xᵀ da,   dW = hᵀ da,   db = Σ_rows da
 * </pre>
 */
public final class RnnTanhCell extends Op {
  // The backward pass without a recording tape asks for the gradients one input at a time, and
  // each starts from da: it is computed for the first and dropped after the bias's (when the bias
  // wants no gradient, it stays until the tape that holds this op is dropped).
  private Tensor gradOutputSeen;
  private Tensor preActivationGradient;
  // The non-zeros of x (a batch of one-hot rows has one per row), found by the forward pass for
  // both x U and U's gradient xᵀ da; null when x is dense.
  private SparseLeft inputNonZeros;

  @Override
  public String name() {
    return "rnnTanhCell";
  }

  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 5, shapes);
    Shape x = shapes[0];
    Shape h = shapes[1];
    checkArgument(
        x.rank() == 2 && h.rank() == 2 && x.dim(0) == h.dim(0),
        "rnnTanhCell: x %s and h %s must be [B, in] and [B, H] for one batch B",
        x,
        h);
    int hidden = h.dim(1);
    Shape[] expected = {Shape.of(x.dim(1), hidden), Shape.of(hidden, hidden), Shape.of(hidden)};
    String[] names = {"U", "W", "b"};
    for (int i = 0; i < 3; i++) {
      checkArgument(
          shapes[i + 2].equals(expected[i]),
          "rnnTanhCell: %s has shape %s but x %s and h %s need %s",
          names[i],
          shapes[i + 2],
          x,
          h,
          expected[i]);
    }
  }

  @Override
  protected Tensor forward(Tensor... in) {
    inputNonZeros = SparseLeft.of(in[0], in[1].shape().dim(1));
    return GateKernels.rnnTanh(in[0], inputNonZeros, in[1], in[2], in[3], in[4]);
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    Var da = Rules.tanhGrad(gradOutput, output());
    return new Var[] {
      needsGradient(0) ? da.matmul(input(2), false, true) : null,
      needsGradient(1) ? da.matmul(input(3), false, true) : null,
      needsGradient(2) ? input(0).matmul(da, true, false) : null,
      needsGradient(3) ? input(1).matmul(da, true, false) : null,
      needsGradient(4) ? da.sumTo(input(4).shape()) : null
    };
  }

  /** Adds each input's gradient straight into its sum, all five from one {@code da}. */
  @Override
  protected boolean accumulateGradient(int index, Tensor gradOutput, GradientSum into) {
    if (gradOutput != gradOutputSeen) {
      gradOutputSeen = gradOutput;
      preActivationGradient = Derivatives.tanh(gradOutput, output().value());
    }
    Tensor da = preActivationGradient;
    switch (index) {
      case 0, 1 -> into.addProduct(da, input(index + 2).value(), false, true);
      case 2 -> {
        if (inputNonZeros != null) {
          into.addTransposedProduct(inputNonZeros, da);
        } else {
          into.addProduct(input(0).value(), da, true, false);
        }
      }
      case 3 -> into.addProduct(input(1).value(), da, true, false);
      default -> {
        into.add(Reductions.sumTo(da, input(4).shape()));
        gradOutputSeen = null;
        preActivationGradient = null;
      }
    }
    return true;
  }
}
