package dev.rewind.autodiff.tensor;

import dev.rewind.autodiff.internal.BackwardKernels;

/**
 * The former home of tanh's backward kernel, now {@link BackwardKernels#tanh}: kept only while the
 * fused recurrent ops still call it by this name, and deleted when they call {@code
 * BackwardKernels}.
 */
public final class Derivatives {
  private Derivatives() {}

  /** {@link BackwardKernels#tanh}: {@code g (1 − y²)} for {@code y = tanh x}. */
  public static Tensor tanh(Tensor g, Tensor y) {
    return BackwardKernels.tanh(g, y);
  }
}
