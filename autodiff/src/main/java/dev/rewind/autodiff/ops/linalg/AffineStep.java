package dev.rewind.autodiff.ops.linalg;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.GradientSum;
import dev.rewind.autodiff.tensor.MatMul;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * {@code x w + s[:, t, :]} for {@code x [B, k]}, {@code w [k, m]} and a sequence {@code s [B, T,
 * m]}: a recurrent step's {@code h W_hh} plus its share of the input's projection, read from the
 * projection in place. The numbers of {@code x.affine(w, s.select(1, t))}, without copying the
 * step's slice out of the sequence first, and with its gradient added straight into the sequence's.
 *
 * <pre>
 *   forward:  y = x w + s[:, t, :]
 *   backward: dx = g wᵀ,   dw = xᵀ g,   ds = g at step t, zeros elsewhere
 * </pre>
 */
public final class AffineStep extends Op {
  private final int step;

  public AffineStep(int step) {
    this.step = step;
  }

  @Override
  public String name() {
    return "affineStep";
  }

  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 3, shapes);
    Shape x = shapes[0];
    Shape w = shapes[1];
    Shape s = shapes[2];
    checkArgument(
        x.rank() == 2 && w.rank() == 2 && s.rank() == 3,
        "affineStep: x %s, w %s, s %s: expected x [B, k], w [k, m] and s [B, T, m]",
        x,
        w,
        s);
    checkArgument(
        x.dim(1) == w.dim(0) && s.dim(0) == x.dim(0) && s.dim(2) == w.dim(1),
        "affineStep: x %s, w %s, s %s: expected x [B, k], w [k, m] and s [B, T, m]",
        x,
        w,
        s);
    checkArgument(
        step >= 0 && step < s.dim(1),
        "affineStep: step %s is outside the %s steps of s %s",
        step,
        s.dim(1),
        s);
  }

  @Override
  protected Tensor forward(Tensor... in) {
    return MatMul.affineStep(in[0], in[1], in[2], step);
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    Shape s = input(2).shape();
    return new Var[] {
      needsGradient(0) ? gradOutput.matmul(input(1), false, true) : null,
      needsGradient(1) ? input(0).matmul(gradOutput, true, false) : null,
      needsGradient(2)
          ? gradOutput.reshape(s.dim(0), 1, s.dim(2)).pad(1, step, s.dim(1) - step - 1)
          : null
    };
  }

  /** Adds each gradient straight into its sum; the sequence's at step t, in place. */
  @Override
  protected boolean accumulateGradient(int index, Tensor gradOutput, GradientSum into) {
    switch (index) {
      case 0 -> into.addProduct(gradOutput, input(1).value(), false, true);
      case 1 -> into.addProduct(input(0).value(), gradOutput, true, false);
      default -> {
        Shape s = input(2).shape();
        into.addSlice(gradOutput.reshape(Shape.of(s.dim(0), 1, s.dim(2))), 1, step);
      }
    }
    return true;
  }
}
