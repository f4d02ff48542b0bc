package dev.rewind.layers.leaky;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.RecurrentState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The state of a {@link SkipCell} with delay d: the last d hidden vectors, most recent first —
 * {@code recent.get(0)} is h(t−1) and {@code recent.get(d − 1)} is h(t−d) — each {@code [batch,
 * hidden]}. Masking and detaching act on all of them; as tensors they are {@code recent.0}, …,
 * {@code recent.<d-1>}.
 */
public record SkipState(ImmutableList<Var> recent) implements RecurrentState<SkipState> {

  public SkipState {
    checkArgument(!recent.isEmpty(), "SkipState: needs at least one hidden vector");
  }

  /** d zero vectors of shape {@code [batchSize, size]}: the state before the first step. */
  public static SkipState zeros(int delay, int batchSize, int size) {
    List<Var> zeros = new ArrayList<>();
    for (int k = 0; k < delay; k++) {
      zeros.add(Var.constant(Tensor.zeros(batchSize, size)));
    }
    return new SkipState(ImmutableList.copyOf(zeros));
  }

  /** The most recent hidden vector. */
  public Var h() {
    return recent.get(0);
  }

  /** The number of steps remembered: the cell's delay. */
  public int delay() {
    return recent.size();
  }

  /** This state after a step that produced {@code h}: h first, the oldest vector dropped. */
  public SkipState push(Var h) {
    List<Var> next = new ArrayList<>(recent.size());
    next.add(h);
    next.addAll(recent.subList(0, recent.size() - 1));
    return new SkipState(ImmutableList.copyOf(next));
  }

  @Override
  public SkipState where(Tensor keep, SkipState previous) {
    checkArgument(
        previous.delay() == delay(),
        "SkipState: delays %s and %s differ",
        delay(),
        previous.delay());
    List<Var> kept = new ArrayList<>(recent.size());
    for (int k = 0; k < recent.size(); k++) {
      kept.add(Var.where(keep, recent.get(k), previous.recent.get(k)));
    }
    return new SkipState(ImmutableList.copyOf(kept));
  }

  @Override
  public SkipState mapAll(UnaryOperator<Var> f) {
    return new SkipState(ImmutableList.copyOf(recent.stream().map(f).toList()));
  }

  @Override
  public SkipState detach() {
    return new SkipState(ImmutableList.copyOf(recent.stream().map(Var::detach).toList()));
  }

  @Override
  public ImmutableMap<String, Tensor> tensors() {
    ImmutableMap.Builder<String, Tensor> tensors = ImmutableMap.builder();
    for (int k = 0; k < recent.size(); k++) {
      tensors.put("recent." + k, recent.get(k).value());
    }
    return tensors.buildOrThrow();
  }

  @Override
  public SkipState withTensors(Map<String, Tensor> tensors) {
    RecurrentState.checkFits(this, tensors);
    List<Var> restored = new ArrayList<>(recent.size());
    for (int k = 0; k < recent.size(); k++) {
      restored.add(Var.constant(tensors.get("recent." + k)));
    }
    return new SkipState(ImmutableList.copyOf(restored));
  }
}
