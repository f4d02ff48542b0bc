package dev.rewind.optim;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * An optimizer's running state as a value: which algorithm it belongs to, how many steps were
 * taken, scalars such as iRprop+'s previous loss, and per-parameter tensors ("slots", such as
 * Adam's moments) keyed by parameter name. Tensors are immutable and doubles are kept exactly, so
 * restoring a state reproduces the optimizer bit for bit; {@link OptimizerStateTensors} turns it
 * into a safetensors file's tensors and metadata.
 *
 * @param optimizer the algorithm, as {@code Sgd}, {@code Adam} or {@code Rprop(iRprop-)}
 * @param steps the number of steps taken
 * @param scalars named scalar state, in a fixed order
 * @param slots parameter name → slot name → tensor, in parameter order
 */
public record OptimizerState(
    String optimizer,
    long steps,
    ImmutableMap<String, Double> scalars,
    ImmutableMap<String, ImmutableMap<String, Tensor>> slots) {

  public OptimizerState {
    checkArgument(!optimizer.isEmpty(), "optimizer state: the optimizer name is empty");
    checkArgument(steps >= 0, "optimizer state: steps %s is negative", steps);
  }
}
