package dev.rewind.layers;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import dev.rewind.autodiff.tape.Var;
import java.util.ArrayList;
import java.util.List;

/**
 * Cells stacked in depth, as PyTorch's {@code num_layers}: at each step layer l reads the output of
 * layer l−1 and its own previous state. Parameters are named {@code layers.0.…}, {@code
 * layers.1.…}.
 *
 * @param <S> the state of each layer
 */
public final class StackedCell<S extends RecurrentState<S>> extends Module
    implements RecurrentCell<StackedState<S>> {
  private final ImmutableList<RecurrentCell<S>> layers;

  /** Stacks {@code layers}, each a {@link Module} as well as a cell, lowest first. */
  @SafeVarargs
  public StackedCell(RecurrentCell<S>... layers) {
    this(List.of(layers));
  }

  public StackedCell(List<? extends RecurrentCell<S>> layers) {
    checkArgument(!layers.isEmpty(), "StackedCell: needs at least one layer");
    this.layers = ImmutableList.copyOf(layers);
    List<Module> modules = new ArrayList<>();
    for (RecurrentCell<S> layer : layers) {
      checkArgument(
          layer instanceof Module,
          "StackedCell: layer %s is not a Module, so its parameters could not be named",
          modules.size());
      modules.add((Module) layer);
    }
    child("layers", new ModuleList(modules));
  }

  public ImmutableList<RecurrentCell<S>> layers() {
    return layers;
  }

  @Override
  public int inputSize() {
    return layers.get(0).inputSize();
  }

  @Override
  public StackedState<S> initialState(int batchSize) {
    return new StackedState<>(
        ImmutableList.copyOf(layers.stream().map(cell -> cell.initialState(batchSize)).toList()));
  }

  @Override
  public Step<StackedState<S>> step(Var input, StackedState<S> state) {
    checkArgument(
        state.layers().size() == layers.size(),
        "StackedCell: the state holds %s layers' states but the stack has %s layers",
        state.layers().size(),
        layers.size());
    List<S> next = new ArrayList<>();
    Var signal = input;
    for (int l = 0; l < layers.size(); l++) {
      Step<S> step = layers.get(l).step(signal, state.layers().get(l));
      next.add(step.state());
      signal = step.output();
    }
    return new Step<>(signal, new StackedState<>(ImmutableList.copyOf(next)));
  }
}
