package dev.rewind.autodiff.ops.elementwise;

import dev.rewind.autodiff.tape.Var;

/**
 * The former name of {@link SigmoidBackward}: kept only while the fused recurrent ops still apply
 * the rule by this name, and deleted when they apply {@code SigmoidBackward}. Not an op of its own.
 */
public final class SigmoidGrad {
  /** {@code new SigmoidBackward().apply(inputs)}. */
  public Var apply(Var... inputs) {
    return new SigmoidBackward().apply(inputs);
  }
}
