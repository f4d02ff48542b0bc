package dev.rewind.train.checkpoint;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.RecurrentState;
import dev.rewind.layers.StackedState;
import dev.rewind.layers.leaky.SkipState;
import dev.rewind.layers.lstm.LstmState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recurrent state as named tensors and back, so that the state truncated BPTT carries from one
 * window into the next can be checkpointed: {@code h} for a {@link HiddenState}, {@code h} and
 * {@code c} for an {@link LstmState}, {@code recent.0}, … {@code recent.d−1} for a {@link
 * SkipState}, {@code layers.0.h}, … for a {@link StackedState}.
 *
 * <pre>{@code
 * Progress progress = Progress.of(step, position).withCarried(CarriedState.tensors(state));
 * ...
 * Checkpoint.load(file, model, optimizer, CarriedState.shapes(template));  // checked with the rest
 * S state = CarriedState.restore(template, restored.progress().carried());
 * }</pre>
 */
public final class CarriedState {
  private CarriedState() {}

  /** The values of {@code state} by name; the tape is not involved. */
  public static ImmutableMap<String, Tensor> tensors(RecurrentState<?> state) {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    collect("", state, tensors);
    return ImmutableMap.copyOf(tensors);
  }

  /** The shapes of {@code template}'s tensors by name, for {@link Checkpoint#load}'s check. */
  public static ImmutableMap<String, Shape> shapes(RecurrentState<?> template) {
    ImmutableMap.Builder<String, Shape> shapes = ImmutableMap.builder();
    tensors(template).forEach((name, tensor) -> shapes.put(name, tensor.shape()));
    return shapes.buildOrThrow();
  }

  /**
   * A state of {@code template}'s kind holding {@code tensors}, as constants.
   *
   * @throws IllegalArgumentException naming the first tensor missing, extra or of another shape
   */
  public static <S extends RecurrentState<S>> S restore(S template, Map<String, Tensor> tensors) {
    ImmutableMap<String, Shape> expected = shapes(template);
    for (Map.Entry<String, Shape> entry : expected.entrySet()) {
      Tensor value = tensors.get(entry.getKey());
      checkArgument(
          value != null, "carried state: %s %s is missing", entry.getKey(), entry.getValue());
      checkArgument(
          value.shape().equals(entry.getValue()),
          "carried state: %s has shape %s, this run's state has %s",
          entry.getKey(),
          value.shape(),
          entry.getValue());
    }
    for (String name : tensors.keySet()) {
      checkArgument(expected.containsKey(name), "carried state: %s is not part of it", name);
    }
    @SuppressWarnings("unchecked")
    S restored = (S) rebuild("", template, tensors);
    return restored;
  }

  private static void collect(String prefix, RecurrentState<?> state, Map<String, Tensor> into) {
    if (state instanceof HiddenState hidden) {
      into.put(prefix + "h", hidden.h().value());
    } else if (state instanceof LstmState lstm) {
      into.put(prefix + "h", lstm.h().value());
      into.put(prefix + "c", lstm.c().value());
    } else if (state instanceof SkipState skip) {
      for (int k = 0; k < skip.delay(); k++) {
        into.put(prefix + "recent." + k, skip.recent().get(k).value());
      }
    } else if (state instanceof StackedState<?> stacked) {
      List<? extends RecurrentState<?>> layers = stacked.layers();
      for (int i = 0; i < layers.size(); i++) {
        collect(prefix + "layers." + i + ".", layers.get(i), into);
      }
    } else {
      throw new IllegalArgumentException(
          "carried state: a " + state.getClass().getSimpleName() + " cannot be saved");
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static RecurrentState<?> rebuild(
      String prefix, RecurrentState<?> template, Map<String, Tensor> tensors) {
    if (template instanceof HiddenState) {
      return new HiddenState(Var.constant(tensors.get(prefix + "h")));
    }
    if (template instanceof LstmState) {
      return new LstmState(
          Var.constant(tensors.get(prefix + "h")), Var.constant(tensors.get(prefix + "c")));
    }
    if (template instanceof SkipState skip) {
      ImmutableList.Builder<Var> recent = ImmutableList.builder();
      for (int k = 0; k < skip.delay(); k++) {
        recent.add(Var.constant(tensors.get(prefix + "recent." + k)));
      }
      return new SkipState(recent.build());
    }
    StackedState<?> stacked = (StackedState<?>) template;
    ImmutableList.Builder layers = ImmutableList.builder();
    for (int i = 0; i < stacked.layers().size(); i++) {
      layers.add(rebuild(prefix + "layers." + i + ".", stacked.layers().get(i), tensors));
    }
    return new StackedState(layers.build());
  }
}
