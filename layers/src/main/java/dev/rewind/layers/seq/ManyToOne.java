package dev.rewind.layers.seq;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Layer;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.Recurrent.Unrolled;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.RecurrentState;
import java.util.function.UnaryOperator;

/**
 * Many-to-one (note 001's sentiment classification): the whole sequence is read, and only the
 * output of its last real step goes through the readout.
 *
 * <pre>
 *   (o(t), s(t)) = cell(x(t), s(t−1)),  t = 1 … T,     y = readout(o(T_b))
 * </pre>
 *
 * where {@code T_b} is sequence b's last real step: the last step of the mask that is 1. A cell or
 * readout that is a {@link Layer} is registered as the child {@code cell} or {@code readout}.
 * {@link #checkpointed} runs the cell with checkpointed BPTT ({@link Recurrent#checkpointed}).
 *
 * @param <S> the cell's state
 */
public final class ManyToOne<S extends RecurrentState<S>> extends Layer {
  private final Recurrent<S> recurrent;
  private final UnaryOperator<Var> readout;

  public ManyToOne(RecurrentCell<S> cell, UnaryOperator<Var> readout) {
    this(new Recurrent<>(cell), readout);
  }

  private ManyToOne(Recurrent<S> recurrent, UnaryOperator<Var> readout) {
    this.recurrent = recurrent;
    this.readout = readout;
    registerIfLayer("cell", recurrent.cell());
    registerIfLayer("readout", readout);
  }

  /**
   * This scenario over the same cell and readout, unrolled with checkpointed BPTT in segments of
   * {@code steps} ({@link Recurrent#checkpointed(int)}): the same output and gradients, to the bit,
   * for less memory and one more forward run of every step.
   *
   * @throws IllegalArgumentException unless {@code steps > 0}
   */
  public ManyToOne<S> checkpointed(int steps) {
    return new ManyToOne<>(recurrent.checkpointed(steps), readout);
  }

  /** {@link #checkpointed(int)} in segments of {@code ⌈√T⌉} steps for a sequence of T. */
  public ManyToOne<S> checkpointed() {
    return new ManyToOne<>(recurrent.checkpointed(), readout);
  }

  public RecurrentCell<S> cell() {
    return recurrent.cell();
  }

  /** Runs {@code [batch, time, features]} inputs from the zero state, every step real. */
  public Result<S> run(Var inputs) {
    return run(inputs, null, null);
  }

  /**
   * Runs from {@code initial} (zeros when null) with {@code mask} {@code [batch, time]} (null when
   * every step is real); every sequence needs at least one real step.
   */
  public Result<S> run(Var inputs, S initial, Tensor mask) {
    Unrolled<S> unrolled = recurrent.run(inputs, initial, mask);
    if (mask == null) {
      return new Result<>(readout.apply(unrolled.last()), unrolled.finalState());
    }
    checkEverySequenceHasARealStep(mask);
    Var last = unrolled.outputs().get(0);
    for (int t = 1; t < unrolled.outputs().size(); t++) {
      last = Var.where(Layout.slice(mask, 1, t, t + 1), unrolled.outputs().get(t), last);
    }
    return new Result<>(readout.apply(last), unrolled.finalState());
  }

  private void checkEverySequenceHasARealStep(Tensor mask) {
    int steps = mask.shape().dim(1);
    for (int b = 0; b < mask.shape().dim(0); b++) {
      boolean real = false;
      for (int t = 0; t < steps; t++) {
        real |= mask.get(b, t) != 0;
      }
      checkArgument(
          real,
          "ManyToOne(%s): sequence %s of the mask %s has no real step, so no last output",
          recurrent.cell().name(),
          b,
          mask.shape());
    }
  }

  /**
   * The readout of each sequence's last real output, {@code [batch, k]}, and the state after that
   * step.
   */
  public record Result<S>(Var output, S finalState) {}
}
