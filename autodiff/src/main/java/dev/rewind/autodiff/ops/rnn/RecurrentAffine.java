package dev.rewind.autodiff.ops.rnn;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.internal.GateKernels;
import dev.rewind.autodiff.internal.SparseLeft;
import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.GradientSum;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.MatMul;
import dev.rewind.autodiff.tensor.Reductions;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * The affine part of a recurrent step as one op: {@code recurrentAffine(x, h, U, W, b) = h W + (x U
 * + b)} for {@code x [B, in]}, {@code h [B, H]}, {@code U [in, G]}, {@code W [H, G]} and {@code b
 * [G]}, the numbers of {@code h.affine(W, x.affine(U, b))}: an LSTM's gate pre-activations ({@code
 * G = 4H}) from its input one step at a time, with {@code x U + b} in a scratch array. A batch of
 * one-hot rows is multiplied by its non-zeros, found once for {@code x U} and {@code U}'s gradient.
 *
 * <p>Given a step {@code t}, x is a whole sequence {@code [B, T, in]} and the step reads its {@code
 * [B, in]} slice in place, where {@code select} would copy it out first; x's gradient is added at
 * step t. Each step's share of {@code U}'s and {@code b}'s gradients is added where the backward
 * pass reaches it, so no {@code [B, T, G]} projection or gradient is ever held.
 *
 * <pre>
 *   forward:  a = h W + (x U + b)
 *   backward: dx = g Uᵀ,   dh = g Wᵀ,   dU = xᵀ g,   dW = hᵀ g,   db = Σ_rows g
 * </pre>
 *
 * <p>{@link RnnTanhCell} is the same step through tanh.
 */
public class RecurrentAffine extends Op {
  // The step read from a sequence x, or −1 when x is the step's [B, in] itself.
  private final int step;
  // The non-zeros of x (a batch of one-hot rows has one per row), found by the forward pass for
  // both x U and U's gradient xᵀ da; null when x is dense.
  private SparseLeft inputNonZeros;
  // The step's x as a matrix when it is dense (copied out of a sequence), for U's gradient.
  private Tensor denseInput;

  /** The step of x [B, in]. */
  public RecurrentAffine() {
    this(-1);
  }

  /** Step {@code step} of a sequence x [B, T, in]. */
  public RecurrentAffine(int step) {
    this.step = step;
  }

  @Override
  public String name() {
    return "recurrentAffine";
  }

  /**
   * The output's columns for {@code h [B, H]} and {@code W}: W's (G), or H where W is not a matrix,
   * so that the message names the shape W needs.
   */
  protected int columns(Shape h, Shape w) {
    return w.rank() == 2 ? w.dim(1) : h.dim(1);
  }

  /** The output, given x as a matrix (null when xNonZeros holds it) or its non-zeros. */
  protected Tensor step(Tensor x, SparseLeft xNonZeros, Tensor h, Tensor u, Tensor w, Tensor b) {
    return GateKernels.recurrentAffine(x, xNonZeros, h, u, w, b);
  }

  /**
   * {@code da} from the output's gradient, as a tensor that {@link #backwardInPlace} only reads and
   * never keeps, so that it may live in a scratch array ({@link RnnTanhCell}'s does).
   */
  protected Tensor preActivationGradient(Tensor gradOutput) {
    return gradOutput;
  }

  /** {@code da} from the output's gradient, recorded. */
  protected Var preActivationGradient(Var gradOutput) {
    return gradOutput;
  }

  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 5, shapes);
    Shape x = shapes[0];
    Shape h = shapes[1];
    if (step >= 0) {
      checkArgument(
          x.rank() == 3 && step < x.dim(1),
          "%s: step %s of x %s: expected a sequence [B, T, in] with T > %s",
          name(),
          step,
          x,
          step);
      x = x.without(1);
    }
    checkArgument(
        x.rank() == 2 && h.rank() == 2 && x.dim(0) == h.dim(0),
        "%s: x %s and h %s must be [B, in] and [B, H] for one batch B",
        name(),
        x,
        h);
    int hidden = h.dim(1);
    int columns = columns(h, shapes[3]);
    Shape[] expected = {Shape.of(x.dim(1), columns), Shape.of(hidden, columns), Shape.of(columns)};
    String[] names = {"U", "W", "b"};
    for (int i = 0; i < 3; i++) {
      checkArgument(
          shapes[i + 2].equals(expected[i]),
          "%s: %s has shape %s but x %s and h %s need %s",
          name(),
          names[i],
          shapes[i + 2],
          x,
          h,
          expected[i]);
    }
  }

  @Override
  protected Tensor forward(Tensor... in) {
    int columns = in[3].shape().dim(1);
    if (step < 0) {
      inputNonZeros = SparseLeft.of(in[0], columns);
      denseInput = in[0];
    } else {
      inputNonZeros = SparseLeft.ofStep(in[0], step, columns);
      denseInput = inputNonZeros != null ? null : stepOf(in[0]);
    }
    return step(denseInput, inputNonZeros, in[1], in[2], in[3], in[4]);
  }

  /** Step {@code step} of the sequence x, as a matrix {@code [B, in]}. */
  private Tensor stepOf(Tensor x) {
    return Layout.slice(x, 1, step, step + 1).reshape(x.shape().without(1));
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    Var da = preActivationGradient(gradOutput);
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

  /** Adds each wanted input's gradient straight into its sum, all from one {@code da}. */
  @Override
  protected boolean backwardInPlace(Tensor[] gradOutputs, GradientSum[] into) {
    Tensor da = preActivationGradient(gradOutputs[0]);
    if (into[0] != null) {
      if (step < 0) {
        into[0].addProduct(da, inputValue(2), false, true);
      } else {
        Shape x = input(0).shape();
        Tensor stepGradient = MatMul.matmul(da, inputValue(2), false, true);
        into[0].addSlice(stepGradient.reshape(Shape.of(x.dim(0), 1, x.dim(2))), 1, step);
      }
    }
    if (into[1] != null) {
      into[1].addProduct(da, inputValue(3), false, true);
    }
    if (into[2] != null) {
      if (inputNonZeros != null) {
        into[2].addTransposedProduct(inputNonZeros, da);
      } else {
        into[2].addProduct(denseInput, da, true, false);
      }
    }
    if (into[3] != null) {
      into[3].addProduct(inputValue(1), da, true, false);
    }
    if (into[4] != null) {
      // A batch of one sums nothing, and sumTo returns da itself, reshaped: copied, never kept.
      into[4].addCopy(Reductions.sumTo(da, input(4).shape()));
    }
    return true;
  }
}
