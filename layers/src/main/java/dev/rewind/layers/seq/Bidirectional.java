package dev.rewind.layers.seq;

import com.google.common.collect.ImmutableList;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Layer;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.Recurrent.Unrolled;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.RecurrentState;
import java.util.ArrayList;
import java.util.List;

/**
 * Two cells over one sequence, one reading it forwards and one reading it reversed; their outputs
 * are joined step by step, as PyTorch's {@code bidirectional=True}.
 *
 * <pre>
 *   (f(t), s(t)) = forward(x(t), s(t−1)),   t = 1 … T
 *   (r(t), q(t)) = reverse(x(t), q(t+1)),   t = T … 1
 *   o(t) = [f(t); r(t)]
 * </pre>
 *
 * <p>With a mask, each sequence's reverse pass starts at its own last real step: the padded steps
 * come first in reversed time and, being masked, leave the reverse state at its initial value. So a
 * padded sequence gets exactly the outputs and gradients it would get alone. Cells that are layers
 * are registered as the children {@code forward} and {@code reverse}. {@link #checkpointed} runs
 * both directions with checkpointed BPTT ({@link Recurrent#checkpointed}).
 *
 * @param <S> the state of both cells
 */
public final class Bidirectional<S extends RecurrentState<S>> extends Layer {
  private final Recurrent<S> forward;
  private final Recurrent<S> reverse;

  public Bidirectional(RecurrentCell<S> forwardCell, RecurrentCell<S> reverseCell) {
    this(new Recurrent<>(forwardCell), new Recurrent<>(reverseCell));
  }

  private Bidirectional(Recurrent<S> forward, Recurrent<S> reverse) {
    this.forward = forward;
    this.reverse = reverse;
    registerIfLayer("forward", forward.cell());
    registerIfLayer("reverse", reverse.cell());
  }

  /**
   * This scenario over the same cells, each direction unrolled with checkpointed BPTT in segments
   * of {@code steps} ({@link Recurrent#checkpointed(int)}): the same outputs and gradients, to the
   * bit, for less memory and one more forward run of every step.
   *
   * @throws IllegalArgumentException unless {@code steps > 0}
   */
  public Bidirectional<S> checkpointed(int steps) {
    return new Bidirectional<>(forward.checkpointed(steps), reverse.checkpointed(steps));
  }

  /** {@link #checkpointed(int)} in segments of {@code ⌈√T⌉} steps for a sequence of T. */
  public Bidirectional<S> checkpointed() {
    return new Bidirectional<>(forward.checkpointed(), reverse.checkpointed());
  }

  public RecurrentCell<S> forwardCell() {
    return forward.cell();
  }

  public RecurrentCell<S> reverseCell() {
    return reverse.cell();
  }

  /** Runs {@code [batch, time, features]} inputs from zero states, every step real. */
  public Unrolled<States<S>> run(Var inputs) {
    return run(inputs, null, null);
  }

  /**
   * Runs from {@code initial} (zeros when null) with {@code mask} {@code [batch, time]} (null when
   * every step is real). Output t is {@code [f(t); r(t)]}, {@code [batch, forward + reverse
   * outputs]}, 0 at a masked step; the final states are the forward state after the last real step
   * and the reverse state after the first.
   */
  public Unrolled<States<S>> run(Var inputs, States<S> initial, Tensor mask) {
    Unrolled<S> ahead = forward.run(inputs, initial == null ? null : initial.forward(), mask);
    // The forward run has checked the inputs and the mask.
    Var reversedInputs = Var.stack(1, ImmutableList.copyOf(inputs.unstack(1)).reverse());
    Unrolled<S> behind =
        reverse.run(
            reversedInputs,
            initial == null ? null : initial.reverse(),
            mask == null ? null : reversedInTime(mask));
    int steps = ahead.outputs().size();
    List<Var> outputs = new ArrayList<>(steps);
    for (int t = 0; t < steps; t++) {
      outputs.add(Var.concat(-1, ahead.outputs().get(t), behind.outputs().get(steps - 1 - t)));
    }
    return new Unrolled<>(
        ImmutableList.copyOf(outputs), new States<>(ahead.finalState(), behind.finalState()));
  }

  /** {@code mask} with its time axis (axis 1) reversed. */
  private static Tensor reversedInTime(Tensor mask) {
    List<Tensor> columns = new ArrayList<>();
    for (int t = mask.shape().dim(1) - 1; t >= 0; t--) {
      columns.add(Layout.slice(mask, 1, t, t + 1));
    }
    return Layout.concat(columns, 1);
  }

  /**
   * The two directions' states.
   *
   * @param forward the forward cell's state
   * @param reverse the reverse cell's state
   */
  public record States<S>(S forward, S reverse) {}
}
