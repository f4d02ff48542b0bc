package dev.rewind.autodiff.ops.elementwise;

import dev.rewind.autodiff.tape.Var;

/**
 * The former name of {@link TanhBackward}: kept only while the fused recurrent ops still apply the
 * rule by this name, and deleted when they apply {@code TanhBackward}. Not an op of its own.
 */
public final class TanhGrad {
  /** {@code new TanhBackward().apply(inputs)}. */
  public Var apply(Var... inputs) {
    return new TanhBackward().apply(inputs);
  }
}
