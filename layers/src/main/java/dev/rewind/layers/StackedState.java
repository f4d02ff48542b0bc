package dev.rewind.layers;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The states of a stack of cells, lowest layer first; as tensors, layer l's {@code h} is {@code
 * layers.<l>.h}.
 */
public record StackedState<S extends RecurrentState<S>>(ImmutableList<S> layers)
    implements RecurrentState<StackedState<S>> {

  @Override
  public StackedState<S> where(Tensor keep, StackedState<S> previous) {
    List<S> kept = new ArrayList<>();
    for (int l = 0; l < layers.size(); l++) {
      kept.add(layers.get(l).where(keep, previous.layers.get(l)));
    }
    return new StackedState<>(ImmutableList.copyOf(kept));
  }

  @Override
  public StackedState<S> mapHidden(UnaryOperator<Var> f) {
    return new StackedState<>(
        ImmutableList.copyOf(layers.stream().map(layer -> layer.mapHidden(f)).toList()));
  }

  @Override
  public StackedState<S> mapAll(UnaryOperator<Var> f) {
    return new StackedState<>(
        ImmutableList.copyOf(layers.stream().map(layer -> layer.mapAll(f)).toList()));
  }

  @Override
  public StackedState<S> detach() {
    return new StackedState<>(ImmutableList.copyOf(layers.stream().map(S::detach).toList()));
  }

  @Override
  public ImmutableMap<String, Tensor> tensors() {
    ImmutableMap.Builder<String, Tensor> tensors = ImmutableMap.builder();
    for (int l = 0; l < layers.size(); l++) {
      String prefix = "layers." + l + ".";
      layers.get(l).tensors().forEach((name, value) -> tensors.put(prefix + name, value));
    }
    return tensors.buildOrThrow();
  }

  @Override
  public StackedState<S> withTensors(Map<String, Tensor> tensors) {
    RecurrentState.checkFits(this, tensors);
    List<S> restored = new ArrayList<>(layers.size());
    for (int l = 0; l < layers.size(); l++) {
      String prefix = "layers." + l + ".";
      Map<String, Tensor> layer = new LinkedHashMap<>();
      tensors.forEach(
          (name, value) -> {
            if (name.startsWith(prefix)) {
              layer.put(name.substring(prefix.length()), value);
            }
          });
      restored.add(layers.get(l).withTensors(layer));
    }
    return new StackedState<>(ImmutableList.copyOf(restored));
  }
}
