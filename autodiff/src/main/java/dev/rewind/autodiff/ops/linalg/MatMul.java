package dev.rewind.autodiff.ops.linalg;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * The matrix product {@code a b}: {@code [n, k] x [k, m]}, batched {@code [B, n, k] x [B, k, m]},
 * or a batch against one matrix {@code [B, n, k] x [k, m]}.
 *
 * <pre>
 *   backward: da = g bᵀ,  db = aᵀ g   (summed over the batch when b is shared by it)
 * </pre>
 */
public final class MatMul extends Op {
  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 2, shapes);
    Shape left = shapes[0];
    Shape right = shapes[1];
    checkArgument(
        left.rank() >= 2 && left.rank() <= 3 && right.rank() >= 2 && right.rank() <= left.rank(),
        "matmul: %s x %s: expected [n, k] x [k, m], [B, n, k] x [B, k, m] or [B, n, k] x [k, m]",
        left,
        right);
    checkArgument(
        left.dim(-1) == right.dim(-2),
        "matmul: %s x %s: inner dimensions %s and %s differ",
        left,
        right,
        left.dim(-1),
        right.dim(-2));
    checkArgument(
        right.rank() == 2 || left.dim(0) == right.dim(0),
        "matmul: %s x %s: batch sizes %s and %s differ",
        left,
        right,
        left.dim(0),
        right.dim(0));
  }

  @Override
  protected Tensor forward(Tensor... in) {
    return dev.rewind.autodiff.tensor.MatMul.matmul(in[0], in[1]);
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    Var a = input(0);
    Var b = input(1);
    Var gradA = needsGradient(0) ? gradOutput.matmul(b.transpose()) : null;
    Var gradB = null;
    if (needsGradient(1)) {
      if (a.shape().rank() == b.shape().rank()) {
        gradB = a.transpose().matmul(gradOutput);
      } else {
        // b was shared by the whole batch: fold the batch into rows, [B * n, k]ᵀ x [B * n, m].
        int k = a.shape().dim(-1);
        int m = gradOutput.shape().dim(-1);
        int rows = a.shape().dim(0) * a.shape().dim(1);
        gradB = a.reshape(rows, k).transpose().matmul(gradOutput.reshape(rows, m));
      }
    }
    return new Var[] {gradA, gradB};
  }
}
