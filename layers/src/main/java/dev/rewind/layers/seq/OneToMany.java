package dev.rewind.layers.seq;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.layers.Layer;
import dev.rewind.layers.Recurrent.Unrolled;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.RecurrentState;
import dev.rewind.layers.VariationalDropout;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One-to-many (note 001's captioning, note 004's music generation): one input, then each step's
 * readout fed back as the next step's input.
 *
 * <pre>
 *   x(1) = the input,   (o(t), s(t)) = cell(x(t), s(t−1)),   y(t) = readout(o(t)),
 *   x(t+1) = feedback(y(t))                                   t = 1 … N
 * </pre>
 *
 * The feedback is the identity unless given: then the readout maps the cell's output back to its
 * input size. The whole chain is on the tape, so the loss on {@code y(t)} reaches the earlier steps
 * through the fed-back inputs as well as through the state. A feedback that samples or takes an
 * arg-max (a constant built from {@code y.value()}) cuts that path, as it should.
 *
 * <p>A cell, readout or feedback that is a {@link Layer} is registered as the child {@code cell},
 * {@code readout} or {@code feedback}.
 *
 * @param <S> the cell's state
 */
public final class OneToMany<S extends RecurrentState<S>> extends Layer {
  private final RecurrentCell<S> cell;
  private final UnaryOperator<Var> readout;
  private final UnaryOperator<Var> feedback;

  /** The readout's output is fed back as it is: it must have the cell's input size. */
  public OneToMany(RecurrentCell<S> cell, UnaryOperator<Var> readout) {
    this(cell, readout, UnaryOperator.identity());
  }

  /** {@code feedback} maps a readout {@code [batch, k]} to the next input {@code [batch, in]}. */
  public OneToMany(RecurrentCell<S> cell, UnaryOperator<Var> readout, UnaryOperator<Var> feedback) {
    this.cell = cell;
    this.readout = readout;
    this.feedback = feedback;
    registerIfLayer("cell", cell);
    registerIfLayer("readout", readout);
    registerIfLayer("feedback", feedback);
  }

  public RecurrentCell<S> cell() {
    return cell;
  }

  /** Runs {@code steps} steps from the zero state; {@code first} is {@code [batch, in]}. */
  public Unrolled<S> run(Var first, int steps) {
    return run(first, null, steps);
  }

  /**
   * Runs {@code steps} steps from {@code initial} (zeros when null); {@code first} is {@code
   * [batch, in]}. The outputs are the readouts {@code y(1) … y(N)}.
   */
  public Unrolled<S> run(Var first, S initial, int steps) {
    String name = "OneToMany(" + cell.name() + ")";
    Shape shape = first.shape();
    checkArgument(
        shape.rank() == 2 && shape.dim(1) == cell.inputSize(),
        "%s: the first input %s must be [batch, %s]",
        name,
        shape,
        cell.inputSize());
    checkArgument(steps >= 1, "%s: needs at least one step, was asked for %s", name, steps);
    S state = initial == null ? cell.initialState(shape.dim(0), first.dtype()) : initial;
    // The cell is stepped one step at a time: a new sequence gets new variational dropout masks.
    VariationalDropout.newSequences(cell);
    List<Var> outputs = new ArrayList<>(steps);
    Var input = first;
    for (int t = 0; t < steps; t++) {
      RecurrentCell.Step<S> step = cell.step(input, state);
      Var y = readout.apply(step.output());
      outputs.add(y);
      state = step.state();
      if (t + 1 < steps) {
        input = feedback.apply(y);
        checkArgument(
            input.shape().equals(shape),
            "%s: step %s feeds back %s but the cell takes inputs %s; a readout to %s features"
                + " (or a feedback mapping to them) is needed",
            name,
            t,
            input.shape(),
            shape,
            cell.inputSize());
      }
    }
    return new Unrolled<>(ImmutableList.copyOf(outputs), state);
  }
}
