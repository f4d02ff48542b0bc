package dev.rewind.optim;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * An optimizer's running state as a value: which algorithm it belongs to, how many steps were
 * taken, scalars such as iRprop+'s previous loss, and per-parameter tensors ("slots", such as
 * Adam's moments) keyed by parameter name. Tensors are immutable and doubles are kept exactly, so
 * restoring a state reproduces the optimizer bit for bit; {@link OptimizerStateTensors} turns it
 * into a safetensors file's tensors and metadata.
 *
 * <p>Slots have their parameter's dtype, and an optimizer refuses to restore slots of another dtype
 * than its parameters': a state saved from float64 parameters goes into parameters converted to
 * float32 only through an explicit {@link #to}.
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

  /**
   * This state with every slot converted to {@code dtype} by {@link Tensor#to} (float64 to float32
   * rounds each element to the nearest float); the scalars stay doubles.
   */
  public OptimizerState to(DType dtype) {
    ImmutableMap.Builder<String, ImmutableMap<String, Tensor>> converted = ImmutableMap.builder();
    slots.forEach(
        (parameter, parameterSlots) -> {
          ImmutableMap.Builder<String, Tensor> tensors = ImmutableMap.builder();
          parameterSlots.forEach((slot, value) -> tensors.put(slot, value.to(dtype)));
          converted.put(parameter, tensors.buildOrThrow());
        });
    return new OptimizerState(optimizer, steps, scalars, converted.buildOrThrow());
  }
}
