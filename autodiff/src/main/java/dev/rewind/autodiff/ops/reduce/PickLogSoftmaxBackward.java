package dev.rewind.autodiff.ops.reduce;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.internal.Columns;
import dev.rewind.autodiff.ops.Arity;
import dev.rewind.autodiff.tape.Op;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Reductions;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * The backward rule of {@link PickLogSoftmax} as one op: {@code pickLogSoftmaxBackward(g, m)[n, c]
 * = g[n] (δ(c, t) − p[n, c])}, where {@code p = softmax(m)} along the rows and {@code t =
 * columns[n]}. The softmax is the one the forward pass computed, when it is handed over; being an
 * op, the rule is itself differentiable.
 *
 * <pre>
 *   backward: dg[n] = gOut[n, t] − Σ_c gOut[n, c] p[n, c]
 *             dm    = −p ⊙ (v − Σ_c v ⊙ p),   v = gOut ⊙ g[n]
 * </pre>
 */
public final class PickLogSoftmaxBackward extends Op {
  private final int[] columns;
  private final Tensor probabilities;

  /** For {@code columns}; {@code probabilities} is {@code softmax(m)} or null to compute it. */
  PickLogSoftmaxBackward(int[] columns, Tensor probabilities) {
    this.columns = columns;
    this.probabilities = probabilities;
  }

  /** For {@code columns}, computing the softmax from the logits. */
  public PickLogSoftmaxBackward(int[] columns) {
    this(columns.clone(), null);
  }

  @Override
  public String name() {
    return "pickLogSoftmaxBackward";
  }

  @Override
  protected void checkInputs(Shape... shapes) {
    Arity.check(name(), 2, shapes);
    Columns.checkColumns(name(), shapes[1], columns);
    checkArgument(
        shapes[0].equals(Shape.of(columns.length)),
        "%s: gradient %s does not fit logits %s: expected [%s]",
        name(),
        shapes[0],
        shapes[1],
        columns.length);
  }

  @Override
  protected Tensor forward(Tensor... in) {
    Tensor p = probabilities != null ? probabilities : Reductions.softmax(in[1], 1);
    return Columns.pickLogSoftmaxBackward(in[0], p, columns);
  }

  @Override
  protected Var[] backward(Var gradOutput) {
    Var g = input(0);
    Var p = input(1).softmax(1);
    Var dg = null;
    if (needsGradient(0)) {
      dg = gradOutput.pick(columns).sub(gradOutput.mul(p).sum(1, false));
    }
    Var dm = null;
    if (needsGradient(1)) {
      Var v = gradOutput.mul(g.reshape(columns.length, 1));
      dm = p.mul(v.sub(v.mul(p).sum(1, true))).neg();
    }
    return new Var[] {dg, dm};
  }
}
