package dev.rewind.optim.clip;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.optim.ParameterGradients;

/** Checks and helpers shared by the clippers. */
final class Clipping {
  private Clipping() {}

  static void checkThreshold(String clipper, String name, double threshold) {
    checkArgument(
        threshold > 0 && Double.isFinite(threshold),
        "%s: %s %s must be positive and finite",
        clipper,
        name,
        threshold);
  }

  static ImmutableList<Tensor> tensors(ParameterGradients gradients) {
    ImmutableList.Builder<Tensor> tensors = ImmutableList.builder();
    for (Parameter parameter : gradients.parameters()) {
      tensors.add(gradients.tensor(parameter));
    }
    return tensors.build();
  }
}
