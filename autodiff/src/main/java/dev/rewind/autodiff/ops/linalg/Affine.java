package dev.rewind.autodiff.ops.linalg;

import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.GradientSum;
import dev.rewind.autodiff.tensor.Reductions;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * A linear layer's map {@code x w + b} ({@code x [n, k]} or {@code [B, n, k]}, {@code w [k, m]},
 * {@code b [m]} added to every row) as one op: the numbers of {@code x.matmul(w).add(b)}, with one
 * output tensor where those two ops make two, at every step of a recurrent layer. {@code b} may
 * also have the product's shape, one addend per element: a recurrent step's {@code h W} plus its
 * input's share, computed for every step beforehand.
 *
 * <pre>
 *   forward:  y = x w + b
 *   backward: dx = g wᵀ,   dw = xᵀ g (over every row),   db = Σ_rows g   (db = g per element)
 * </pre>
 */
public final class Affine extends Op {
  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 3, shapes);
    dev.rewind.autodiff.tensor.MatMul.checkAffine(shapes[0], shapes[1], shapes[2]);
  }

  @Override
  protected Tensor forward(Tensor... in) {
    return dev.rewind.autodiff.tensor.MatMul.affine(in[0], in[1], in[2]);
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    Var x = input(0);
    Var w = input(1);
    return new Var[] {
      needsGradient(0) ? gradOutput.matmul(w, false, true) : null,
      needsGradient(1) ? rows(x).matmul(rows(gradOutput), true, false) : null,
      needsGradient(2) ? gradOutput.sumTo(input(2).shape()) : null
    };
  }

  /**
   * Adds the weight's and the bias's gradients straight into their sums, as {@link MatMul} does for
   * a weight: a layer applied at every time step adds into one array instead of making a gradient
   * tensor per step. x's gradient is the product {@link #backward} computes, as a tensor.
   */
  @Override
  protected boolean backwardInPlace(Tensor[] gradOutputs, GradientSum[] into) {
    Tensor gradOutput = gradOutputs[0];
    if (into[0] != null) {
      into[0].add(dev.rewind.autodiff.tensor.MatMul.matmul(gradOutput, inputValue(1), false, true));
    }
    if (into[1] != null) {
      into[1].addProduct(rows(inputValue(0)), rows(gradOutput), true, false);
    }
    if (into[2] != null) {
      into[2].add(Reductions.sumTo(gradOutput, input(2).shape()));
    }
    return true;
  }

  /** {@code [B, n, c]} as the matrix of its rows {@code [B n, c]}; a matrix as it is. */
  private static Var rows(Var v) {
    Shape shape = v.shape();
    return shape.rank() == 2 ? v : v.reshape(shape.dim(0) * shape.dim(1), shape.dim(2));
  }

  private static Tensor rows(Tensor t) {
    Shape shape = t.shape();
    return shape.rank() == 2 ? t : t.reshape(Shape.of(shape.dim(0) * shape.dim(1), shape.dim(2)));
  }
}
