package dev.rewind.train.checkpoint;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.Maps;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.RecurrentState;
import java.util.Map;

/**
 * A recurrent state of any kind as the named tensors a checkpoint carries and back, over {@link
 * RecurrentState#tensors} and {@link RecurrentState#withTensors}: {@code h} for a hidden state,
 * {@code h} and {@code c} for an LSTM's, {@code layers.0.h}, … for a stack.
 *
 * <pre>{@code
 * Progress progress = Progress.of(step, position).withCarried(state.tensors());
 * ...
 * Checkpoint.load(file, model, optimizer, CarriedState.shapes(template));  // checked with the rest
 * S state = template.withTensors(restored.progress().carried());
 * }</pre>
 */
public final class CarriedState {
  private CarriedState() {}

  /** The values of {@code state} by name: {@link RecurrentState#tensors}. */
  public static ImmutableMap<String, Tensor> tensors(RecurrentState<?> state) {
    return state.tensors();
  }

  /** The shapes of {@code template}'s tensors by name, for {@link Checkpoint#load}'s check. */
  public static ImmutableMap<String, Shape> shapes(RecurrentState<?> template) {
    return ImmutableMap.copyOf(Maps.transformValues(template.tensors(), Tensor::shape));
  }

  /**
   * A state of {@code template}'s kind holding {@code tensors}, as constants: {@link
   * RecurrentState#withTensors}.
   *
   * @throws IllegalArgumentException naming the first tensor missing, extra or of another shape
   */
  public static <S extends RecurrentState<S>> S restore(S template, Map<String, Tensor> tensors) {
    return template.withTensors(tensors);
  }
}
