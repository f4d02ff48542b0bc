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
import java.util.function.UnaryOperator;

/**
 * Many-to-many of equal length (note 000's character model, which predicts the next character at
 * every step): every step's output goes through a readout.
 *
 * <pre>
 *   (o(t), s(t)) = cell(x(t), s(t−1)),   y(t) = readout(o(t)),   t = 1 … T
 * </pre>
 *
 * <p>With a mask, a padded step leaves the state unchanged and its {@code y(t)} is 0. A cell or
 * readout that is a {@link Layer} is registered as the child {@code cell} or {@code readout}; the
 * parameters a lambda closes over are the caller's to list. {@link #checkpointed} runs the cell
 * with checkpointed BPTT ({@link Recurrent#checkpointed}); with a loss at every step, {@link
 * #runWithLoss} runs the readout and the loss inside the recomputed segments too.
 *
 * @param <S> the cell's state
 */
public final class ManyToMany<S extends RecurrentState<S>> extends Layer {
  private final Recurrent<S> recurrent;
  private final UnaryOperator<Var> readout;

  /** A readout such as a {@link dev.rewind.layers.Linear} from the cell's output to the targets. */
  public ManyToMany(RecurrentCell<S> cell, UnaryOperator<Var> readout) {
    this(new Recurrent<>(cell), readout);
  }

  private ManyToMany(Recurrent<S> recurrent, UnaryOperator<Var> readout) {
    this.recurrent = recurrent;
    this.readout = readout;
    registerIfLayer("cell", recurrent.cell());
    registerIfLayer("readout", readout);
  }

  /**
   * This scenario over the same cell and readout, unrolled with checkpointed BPTT in segments of
   * {@code steps} ({@link Recurrent#checkpointed(int)}): the same outputs and gradients, to the
   * bit, for less memory and one more forward run of every step.
   *
   * @throws IllegalArgumentException unless {@code steps > 0}
   */
  public ManyToMany<S> checkpointed(int steps) {
    return new ManyToMany<>(recurrent.checkpointed(steps), readout);
  }

  /** {@link #checkpointed(int)} in segments of {@code ⌈√T⌉} steps for a sequence of T. */
  public ManyToMany<S> checkpointed() {
    return new ManyToMany<>(recurrent.checkpointed(), readout);
  }

  public RecurrentCell<S> cell() {
    return recurrent.cell();
  }

  /** Runs {@code [batch, time, features]} inputs from the zero state, every step real. */
  public Unrolled<S> run(Var inputs) {
    return run(inputs, null, null);
  }

  /**
   * Runs from {@code initial} (zeros when null) with {@code mask} {@code [batch, time]} (null when
   * every step is real); the outputs are the readouts {@code y(t)}, {@code [batch, k]} each.
   */
  public Unrolled<S> run(Var inputs, S initial, Tensor mask) {
    Unrolled<S> unrolled = recurrent.run(inputs, initial, mask);
    List<Var> outputs = new ArrayList<>();
    for (int t = 0; t < unrolled.outputs().size(); t++) {
      outputs.add(readout(t, unrolled.outputs().get(t), mask));
    }
    return new Unrolled<>(ImmutableList.copyOf(outputs), unrolled.finalState());
  }

  /**
   * Runs from {@code initial} (zeros when null) with {@code mask} (null when every step is real),
   * applying {@code stepLoss} to each readout {@code y(t)} right after its step: the sum of the
   * steps' losses, left to right, and the final state ({@link Recurrent#runWithLoss}, with {@code
   * stepLoss} taking {@code y(t)} instead of the cell's output). Plain, it runs step t, its readout
   * and its loss before step t + 1; {@link #checkpointed} gives the same loss and gradients to the
   * bit while keeping neither the outputs nor the readouts of all T steps, which are recomputed
   * with the steps in the backward pass.
   */
  public Recurrent.Summed<S> runWithLoss(
      Var inputs, S initial, Tensor mask, Recurrent.StepLoss stepLoss) {
    return recurrent.runWithLoss(
        inputs, initial, mask, (t, output) -> stepLoss.of(t, readout(t, output, mask)));
  }

  /** {@code y(t)}: the readout of the cell's output, 0 in a padded row. */
  private Var readout(int t, Var output, Tensor mask) {
    Var y = readout.apply(output);
    return mask == null
        ? y
        : Var.where(Layout.slice(mask, 1, t, t + 1), y, Var.scalar(0, y.dtype()));
  }
}
