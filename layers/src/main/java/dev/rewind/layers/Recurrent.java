package dev.rewind.layers;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Unrolls a cell over a batch of sequences {@code [batch, time, features]}: the cell's {@link
 * RecurrentCell#prepare} once, then each step. Each step applies the cell's ops, so the whole
 * unrolled network lands on the tape and its gradient is BPTT.
 *
 * <p>With a mask {@code [batch, time]} (1 for a real step, 0 for padding), a padded step leaves the
 * sequence's state unchanged and outputs zeros, so a batch of variable-length sequences gets the
 * gradients each sequence would get alone.
 *
 * @param <S> the cell's state
 */
public final class Recurrent<S extends RecurrentState<S>> {
  private final RecurrentCell<S> cell;

  public Recurrent(RecurrentCell<S> cell) {
    this.cell = cell;
  }

  public RecurrentCell<S> cell() {
    return cell;
  }

  /** Runs every step from the zero state, without a mask. */
  public Unrolled<S> run(Var inputs) {
    checkInputs(inputs);
    return run(inputs, cell.initialState(inputs.shape().dim(0)), null);
  }

  /**
   * Runs every step from {@code initial} (the cell's zero state when null); {@code mask} is {@code
   * [batch, time]} of 0 and 1, or null when every step is real.
   */
  public Unrolled<S> run(Var inputs, S initial, Tensor mask) {
    checkInputs(inputs);
    int batch = inputs.shape().dim(0);
    int steps = inputs.shape().dim(1);
    if (mask != null) {
      checkArgument(
          mask.shape().equals(Shape.of(batch, steps)),
          "%s: mask has shape %s but the inputs %s need [%s, %s]",
          cell.name(),
          mask.shape(),
          inputs.shape(),
          batch,
          steps);
    }
    List<Var> outputs = new ArrayList<>(steps);
    S state = initial == null ? cell.initialState(batch) : initial;
    RecurrentCell.Prepared<S> sequence = cell.prepare(inputs);
    for (int t = 0; t < steps; t++) {
      RecurrentCell.Step<S> step = sequence.step(t, state);
      if (mask == null) {
        outputs.add(step.output());
        state = step.state();
      } else {
        Tensor keep = Layout.slice(mask, 1, t, t + 1);
        outputs.add(Var.where(keep, step.output(), Var.scalar(0)));
        state = step.state().where(keep, state);
      }
    }
    return new Unrolled<>(ImmutableList.copyOf(outputs), state);
  }

  private void checkInputs(Var inputs) {
    Shape shape = inputs.shape();
    checkArgument(
        shape.rank() == 3,
        "%s: inputs must be [batch, time, features], but have shape %s",
        cell.name(),
        shape);
    checkArgument(shape.dim(1) > 0, "%s: the sequence is empty: inputs %s", cell.name(), shape);
    checkArgument(
        shape.dim(2) == cell.inputSize(),
        "%s: inputs %s have %s features per step but the cell takes %s",
        cell.name(),
        shape,
        shape.dim(2),
        cell.inputSize());
  }

  /**
   * What an unrolled run returns: the output of every step and the state after the last one.
   *
   * @param outputs one {@code [batch, outputSize]} value per step
   * @param finalState the state after the last step (for a masked sequence, after its last real
   *     one)
   */
  public record Unrolled<S>(ImmutableList<Var> outputs, S finalState) {

    /** The outputs stacked as {@code [batch, time, outputSize]}. */
    public Var stacked() {
      return Var.stack(1, outputs);
    }

    /** The output of the last step. */
    public Var last() {
      return outputs.get(outputs.size() - 1);
    }
  }
}
