package dev.rewind.autodiff.ops.linalg;

import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.GradientSum;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * The matrix product {@code op(a) op(b)}, where {@code op} is the identity or, when its flag is
 * set, the transpose of the last two axes (read in place, never copied): {@code [n, k] x [k, m]},
 * batched {@code [B, n, k] x [B, k, m]}, or a batch against one matrix {@code [B, n, k] x [k, m]}.
 *
 * <pre>
 *   c = a b:    da = g bᵀ,    db = aᵀ g
 *   c = a bᵀ:   da = g b,     db = gᵀ a
 *   c = aᵀ b:   da = b gᵀ,    db = a g
 *   c = aᵀ bᵀ:  da = bᵀ gᵀ,   db = gᵀ aᵀ
 * </pre>
 *
 * Each gradient is itself one product of this op with other flags, so no transpose is ever
 * materialised. When {@code b} is shared by a batch of {@code a}, its gradient sums over the batch
 * by folding the batch into the rows of one product.
 */
public final class MatMul extends Op {
  private final boolean transposeA;
  private final boolean transposeB;

  /** {@code a b}. */
  public MatMul() {
    this(false, false);
  }

  /** {@code op(a) op(b)}, each operand transposed when its flag is set. */
  public MatMul(boolean transposeA, boolean transposeB) {
    this.transposeA = transposeA;
    this.transposeB = transposeB;
  }

  @Override
  public String name() {
    return transposeA || transposeB
        ? "matmul(" + (transposeA ? "aᵀ" : "a") + ", " + (transposeB ? "bᵀ" : "b") + ")"
        : "matmul";
  }

  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 2, shapes);
    dev.rewind.autodiff.tensor.MatMul.checkShapes(shapes[0], shapes[1], transposeA, transposeB);
  }

  @Override
  protected Tensor forward(Tensor... in) {
    return dev.rewind.autodiff.tensor.MatMul.matmul(in[0], in[1], transposeA, transposeB);
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    Var a = input(0);
    Var b = input(1);
    Var gradA = null;
    if (needsGradient(0)) {
      if (!transposeA) {
        gradA = product(gradOutput, b, false, !transposeB);
      } else if (a.shape().rank() == b.shape().rank()) {
        gradA = product(b, gradOutput, transposeB, true);
      } else {
        // b gᵀ would put one matrix against a batch; (g op(b)ᵀ)ᵀ is the same, batch first.
        gradA = product(gradOutput, b, false, !transposeB).transpose();
      }
    }
    Var gradB = null;
    if (needsGradient(1)) {
      Var left = a;
      Var g = gradOutput;
      if (a.shape().rank() > b.shape().rank()) {
        // b was shared by the whole batch: fold the batch into rows, so one product sums over it.
        // A transposed batch [B, k, n] cannot fold; its products run per batch and are summed.
        if (transposeA) {
          Var perBatch = transposeB ? product(g, a, true, true) : product(a, g, false, false);
          return new Var[] {gradA, perBatch.sum(0, false)};
        }
        int rows = a.shape().dim(0) * a.shape().dim(1);
        left = a.reshape(rows, a.shape().dim(2));
        g = g.reshape(rows, g.shape().dim(-1));
      }
      gradB =
          transposeB ? product(g, left, true, transposeA) : product(left, g, !transposeA, false);
    }
    return new Var[] {gradA, gradB};
  }

  /**
   * Adds a weight's gradient straight into its sum: {@code db} of a matrix {@code b} (shared by a
   * batch or not), as one product into the sum's array, where a weight used at every time step
   * would otherwise get a new gradient tensor per step, then an addition; {@code da} is the product
   * {@link #backward} computes, as a tensor. A batch of {@code b}, or a transposed batch of {@code
   * a} against a matrix, is left to {@link #backward}.
   */
  @Override
  protected boolean backwardInPlace(Tensor[] gradOutputs, GradientSum[] into) {
    Tensor a = inputValue(0);
    Tensor b = inputValue(1);
    Tensor g = gradOutputs[0];
    if (b.rank() != 2 || (a.rank() == 3 && transposeA)) {
      return false;
    }
    if (into[0] != null) {
      // The products backward computes for a with b a matrix, as tensors.
      into[0].add(
          transposeA
              ? dev.rewind.autodiff.tensor.MatMul.matmul(b, g, transposeB, true)
              : dev.rewind.autodiff.tensor.MatMul.matmul(g, b, false, !transposeB));
    }
    if (into[1] == null) {
      return true;
    }
    Tensor left = a;
    if (a.rank() == 3) {
      int rows = a.shape().dim(0) * a.shape().dim(1);
      left = a.reshape(Shape.of(rows, a.shape().dim(2)));
      g = g.reshape(Shape.of(rows, g.shape().dim(-1)));
    }
    if (transposeB) {
      into[1].addProduct(g, left, true, transposeA);
    } else {
      into[1].addProduct(left, g, !transposeA, false);
    }
    return true;
  }

  private static Var product(Var left, Var right, boolean transposeLeft, boolean transposeRight) {
    return new MatMul(transposeLeft, transposeRight).apply(left, right);
  }
}
