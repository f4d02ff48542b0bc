package dev.rewind.layers;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import dev.rewind.autodiff.tape.Var;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Cells stacked in depth, as PyTorch's {@code num_layers}: at each step layer l reads the output of
 * layer l−1 and its own previous state. Parameters are named {@code layers.0.…}, {@code
 * layers.1.…}.
 *
 * <p>{@link #withDropout} adds dropout on the output of every layer but the last, in training mode
 * only, as PyTorch's {@code nn.LSTM(dropout=p)}: a mask drawn afresh at every step from the given
 * generator, like {@code nn.LSTM}'s over the whole sequence (not one mask per sequence: that is
 * {@link VariationalDropout}).
 *
 * @param <S> the state of each layer
 */
public final class StackedCell<S extends RecurrentState<S>> extends Layer
    implements RecurrentCell<StackedState<S>> {
  private final ImmutableList<RecurrentCell<S>> layers;
  private final double dropout;

  /** Stacks {@code layers}, each a {@link Layer} as well as a cell, lowest first. */
  @SafeVarargs
  public StackedCell(RecurrentCell<S>... layers) {
    this(List.of(layers));
  }

  public StackedCell(List<? extends RecurrentCell<S>> layers) {
    this(layers, 0.0, null);
  }

  private StackedCell(List<? extends RecurrentCell<S>> layers, double dropout, Random random) {
    checkArgument(!layers.isEmpty(), "StackedCell: needs at least one layer");
    this.layers = ImmutableList.copyOf(layers);
    this.dropout = dropout;
    if (random != null) {
      drawFrom(random);
    }
    List<Layer> children = new ArrayList<>();
    for (RecurrentCell<S> layer : layers) {
      checkArgument(
          layer instanceof Layer,
          "StackedCell: layer %s is not a Layer, so its parameters could not be named",
          children.size());
      children.add((Layer) layer);
    }
    child("layers", new LayerList(children));
  }

  /**
   * The same layers (so the same parameters) with dropout of probability {@code p} on the output of
   * each layer but the last, in training mode, each mask drawn from {@code random}; {@code p = 0}
   * is no dropout. The new cell starts in training mode.
   *
   * @throws IllegalArgumentException unless {@code 0 <= p <= 1}
   */
  public StackedCell<S> withDropout(double p, Random random) {
    checkArgument(p >= 0 && p <= 1, "StackedCell: dropout p = %s must be in [0, 1]", p);
    checkArgument(random != null, "StackedCell: the random generator for dropout is null");
    return new StackedCell<>(layers, p, random);
  }

  /** The probability of dropout between layers: 0 unless set by {@link #withDropout}. */
  public double dropout() {
    return dropout;
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
    checkLayers(state);
    return above(layers.get(0).step(input, state.layers().get(0)), state);
  }

  /**
   * The sequence {@code inputs [batch, time, in]}: the lowest layer prepares it; each layer above
   * reads the output of the layer below, known only step by step, so it is stepped.
   */
  @Override
  public Prepared<StackedState<S>> prepare(Var inputs) {
    Prepared<S> lowest = layers.get(0).prepare(inputs);
    // The layers above are stepped, so what they do once per sequence is started here.
    for (RecurrentCell<S> layer : layers.subList(1, layers.size())) {
      VariationalDropout.newSequences(layer);
    }
    return (t, state) -> {
      checkLayers(state);
      return above(lowest.step(t, state.layers().get(0)), state);
    };
  }

  private void checkLayers(StackedState<S> state) {
    checkArgument(
        state.layers().size() == layers.size(),
        "StackedCell: the state holds %s layers' states but the stack has %s layers",
        state.layers().size(),
        layers.size());
  }

  /** The step of the whole stack, given the lowest layer's step: every layer above it, in order. */
  private Step<StackedState<S>> above(Step<S> lowest, StackedState<S> state) {
    List<S> next = new ArrayList<>();
    next.add(lowest.state());
    Var signal = lowest.output();
    for (int l = 1; l < layers.size(); l++) {
      signal = dropoutBelow(signal);
      Step<S> step = layers.get(l).step(signal, state.layers().get(l));
      next.add(step.state());
      signal = step.output();
    }
    return new Step<>(signal, new StackedState<>(ImmutableList.copyOf(next)));
  }

  /** Dropout on the output of a layer that another layer reads. */
  private Var dropoutBelow(Var output) {
    return dropout > 0 ? output.dropout(dropout, isTraining(), generator()) : output;
  }
}
