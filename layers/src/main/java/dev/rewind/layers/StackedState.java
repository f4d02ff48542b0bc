package dev.rewind.layers;

import com.google.common.collect.ImmutableList;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/** The states of a stack of cells, lowest layer first. */
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
  public StackedState<S> detach() {
    return new StackedState<>(ImmutableList.copyOf(layers.stream().map(S::detach).toList()));
  }
}
