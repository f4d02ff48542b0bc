package dev.rewind.autodiff.ops.rnn;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Derivatives;
import dev.rewind.autodiff.tensor.GateKernels;
import dev.rewind.autodiff.tensor.GradientSum;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.MatMul;
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
 * <p>Given a step {@code t}, x is a whole sequence {@code [B, T, in]} and the step reads its {@code
 * [B, in]} slice in place, where {@code select} would copy it out first; x's gradient is added at
 * step t.
 *
 * <pre>
 *   forward:  y = tanh(h W + (x U + b))
 *   backward: da = g (1 − y²),   dx = da Uᵀ,   dh = da Wᵀ,   dU = xᵀ da,   dW = hᵀ da,   db = Σ_rows da
 * </pre>
 */
public final class RnnTanhCell extends Op {
  // The step read from a sequence x, or −1 when x is the step's [B, in] itself.
  private final int step;
  // The backward pass without a recording tape asks for the gradients one input at a time, and
  // each starts from da: it is computed for the first and dropped after the bias's (when the bias
  // wants no gradient, it stays until the tape that holds this op is dropped).
  private Tensor gradOutputSeen;
  private Tensor preActivationGradient;
  // The non-zeros of x (a batch of one-hot rows has one per row), found by the forward pass for
  // both x U and U's gradient xᵀ da; null when x is dense.
  private SparseLeft inputNonZeros;
  // The step's x as a matrix when it is dense (copied out of a sequence), for U's gradient.
  private Tensor denseInput;

  /** The step of x [B, in]. */
  public RnnTanhCell() {
    this(-1);
  }

  /** Step {@code step} of a sequence x [B, T, in]. */
  public RnnTanhCell(int step) {
    this.step = step;
  }

  @Override
  public String name() {
    return "rnnTanhCell";
  }

  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 5, shapes);
    Shape x = shapes[0];
    Shape h = shapes[1];
    if (step >= 0) {
      checkArgument(
          x.rank() == 3 && step < x.dim(1),
          "rnnTanhCell: step %s of x %s: expected a sequence [B, T, in] with T > %s",
          step,
          x,
          step);
      x = x.without(1);
    }
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
    int hidden = in[1].shape().dim(1);
    if (step < 0) {
      inputNonZeros = SparseLeft.of(in[0], hidden);
      denseInput = in[0];
    } else {
      inputNonZeros = SparseLeft.ofStep(in[0], step, hidden);
      denseInput = inputNonZeros != null ? null : stepOf(in[0]);
    }
    return GateKernels.rnnTanh(denseInput, inputNonZeros, in[1], in[2], in[3], in[4]);
  }

  /** Step {@code step} of the sequence x, as a matrix {@code [B, in]}. */
  private Tensor stepOf(Tensor x) {
    return Layout.slice(x, 1, step, step + 1).reshape(x.shape().without(1));
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    Var da = Rules.tanhGrad(gradOutput, output());
    Var x = step < 0 ? input(0) : input(0).select(1, step);
    return new Var[] {
      needsGradient(0) ? inputGradient(da.matmul(input(2), false, true)) : null,
      needsGradient(1) ? da.matmul(input(3), false, true) : null,
      needsGradient(2) ? x.matmul(da, true, false) : null,
      needsGradient(3) ? input(1).matmul(da, true, false) : null,
      needsGradient(4) ? da.sumTo(input(4).shape()) : null
    };
  }

  /** The gradient of a step's x, {@code [B, in]}, placed at its step of the sequence. */
  private Var inputGradient(Var stepGradient) {
    if (step < 0) {
      return stepGradient;
    }
    Shape x = input(0).shape();
    return stepGradient.reshape(x.dim(0), 1, x.dim(2)).pad(1, step, x.dim(1) - step - 1);
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
      case 0 -> {
        if (step < 0) {
          into.addProduct(da, input(2).value(), false, true);
        } else {
          Shape x = input(0).shape();
          Tensor stepGradient = MatMul.matmul(da, input(2).value(), false, true);
          into.addSlice(stepGradient.reshape(Shape.of(x.dim(0), 1, x.dim(2))), 1, step);
        }
      }
      case 1 -> into.addProduct(da, input(3).value(), false, true);
      case 2 -> {
        if (inputNonZeros != null) {
          into.addTransposedProduct(inputNonZeros, da);
        } else {
          into.addProduct(denseInput, da, true, false);
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
