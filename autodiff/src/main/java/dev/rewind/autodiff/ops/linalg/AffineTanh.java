package dev.rewind.autodiff.ops.linalg;

import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.ops.elementwise.TanhGrad;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Derivatives;
import dev.rewind.autodiff.tensor.GradientSum;
import dev.rewind.autodiff.tensor.MatMul;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Reductions;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * {@code tanh(x w + b)}, an Elman step's hidden layer ({@code h(t) = tanh(h(t−1) W + X(t) U + b)}
 * with the input's share as {@code b}), as one op: the numbers of {@code x.affine(w, b).tanh()},
 * with one output tensor kept per step where those two ops keep two. Shapes are those of {@link
 * Affine}.
 *
 * <pre>
 *   forward:  y = tanh(x w + b)
 *   backward: da = g (1 − y²),   dx = da wᵀ,   dw = xᵀ da,   db = Σ_rows da   (db = da per element)
 * </pre>
 */
public final class AffineTanh extends Op {
  // The backward pass without a recording tape asks for the three gradients one at a time, and
  // each starts from da: it is computed for the first and dropped after the last.
  private Tensor gradOutputSeen;
  private Tensor preActivationGradient;

  @Override
  public String name() {
    return "affineTanh";
  }

  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 3, shapes);
    MatMul.checkAffine(shapes[0], shapes[1], shapes[2]);
  }

  @Override
  protected Tensor forward(Tensor... in) {
    return Pointwise.tanh(MatMul.affine(in[0], in[1], in[2]));
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    Var da = new TanhGrad().apply(gradOutput, output());
    return new Var[] {
      needsGradient(0) ? da.matmul(input(1), false, true) : null,
      needsGradient(1) ? Affine.rows(input(0)).matmul(Affine.rows(da), true, false) : null,
      needsGradient(2) ? da.sumTo(input(2).shape()) : null
    };
  }

  /** Adds each input's gradient straight into its sum, all three from one {@code da}. */
  @Override
  protected boolean accumulateGradient(int index, Tensor gradOutput, GradientSum into) {
    if (gradOutput != gradOutputSeen) {
      gradOutputSeen = gradOutput;
      preActivationGradient = Derivatives.tanh(gradOutput, output().value());
    }
    Tensor da = preActivationGradient;
    switch (index) {
      case 0 -> into.addProduct(da, input(1).value(), false, true);
      case 1 -> into.addProduct(Affine.rows(input(0).value()), Affine.rows(da), true, false);
      default -> {
        into.add(Reductions.sumTo(da, input(2).shape()));
        gradOutputSeen = null;
        preActivationGradient = null;
      }
    }
    return true;
  }
}
