package dev.rewind.layers;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import dev.rewind.autodiff.tape.Recompute;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * Unrolls a cell over a batch of sequences {@code [batch, time, features]}: the cell's {@link
 * RecurrentCell#prepare} once, then each step. Each step applies the cell's ops, so the whole
 * unrolled network lands on the tape and its gradient is BPTT.
 *
 * <p>With a mask {@code [batch, time]} (1 for a real step, 0 for padding), a padded step leaves the
 * sequence's state unchanged and outputs zeros, so a batch of variable-length sequences gets the
 * gradients each sequence would get alone.
 *
 * <p>{@link #checkpointed} trades time for memory (checkpointed BPTT: Chen et al., 2016; Gruslys et
 * al., 2016): the tape keeps every step's output but the state only every k steps, and each segment
 * of k steps is run again when the backward pass reaches it, so what the steps keep for their
 * backward pass (an LSTM's gates, a composed cell's saved tensors) is held for k steps at a time
 * instead of T. The gradients are the plain run's to the bit.
 *
 * @param <S> the cell's state
 */
public final class Recurrent<S extends RecurrentState<S>> {
  private final RecurrentCell<S> cell;
  // The number of steps of each recomputed segment, given the sequence's; null for plain BPTT.
  private final IntUnaryOperator segmentLength;

  /** Unrolls {@code cell}, keeping every step on the tape (plain BPTT). */
  public Recurrent(RecurrentCell<S> cell) {
    this(cell, null);
  }

  private Recurrent(RecurrentCell<S> cell, IntUnaryOperator segmentLength) {
    this.cell = cell;
    this.segmentLength = segmentLength;
  }

  public RecurrentCell<S> cell() {
    return cell;
  }

  /**
   * This unroll with checkpointed BPTT: the steps in segments of {@code steps} (k), each one node
   * on the tape that keeps only its outputs and the state it ends in, and is run again, on a tape
   * of its own, when the backward pass reaches it. A run of T steps keeps T / k states and the
   * intermediates of the k steps being recomputed, instead of every step's, for one more forward
   * run of every step; the gradients (of every parameter, of the inputs and of the initial state)
   * are the plain run's to the bit, for every cell, with or without a mask.
   *
   * <p>What the recomputation needs ({@link Recompute#segment}): a step computes the same values
   * when run again. Dropout through {@link Var#dropout(double, boolean, java.util.Random)} (as
   * {@link StackedCell#withDropout}) is replayed; {@link VariationalDropout} keeps its masks for
   * the sequence; other random numbers drawn in a step must go through {@link Recompute#random}.
   * The state's type implements {@link RecurrentState#mapAll} (the library's states do). The
   * backward pass cannot itself be recorded: gradients of gradients through a checkpointed run are
   * an {@link IllegalStateException}, so second-order checks run the plain unroll. With nothing
   * recording (inference), the steps just run.
   *
   * @param steps the segment length k: 1 keeps every state and no intermediates; the sequence's
   *     length (or more) makes one segment, recomputed whole
   * @throws IllegalArgumentException unless {@code steps > 0}
   */
  public Recurrent<S> checkpointed(int steps) {
    checkArgument(
        steps > 0,
        "%s: checkpointed every %s steps: the segment length must be at least 1",
        cell.name(),
        steps);
    return new Recurrent<>(cell, sequence -> steps);
  }

  /**
   * This unroll with checkpointed BPTT ({@link #checkpointed(int)}) in segments of {@code ⌈√T⌉}
   * steps for a sequence of T: about √T states and √T steps' intermediates kept instead of T.
   */
  public Recurrent<S> checkpointed() {
    return new Recurrent<>(cell, sequence -> (int) Math.ceil(Math.sqrt(sequence)));
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
    if (segmentLength == null) {
      state = steps(sequence, mask, 0, steps, state, outputs);
    } else {
      int length = segmentLength.applyAsInt(steps);
      for (int start = 0; start < steps; start += length) {
        state = recomputed(sequence, mask, start, Math.min(steps, start + length), state, outputs);
      }
    }
    return new Unrolled<>(ImmutableList.copyOf(outputs), state);
  }

  /** Steps {@code [start, end)} from {@code state}: adds their outputs, returns the last state. */
  private S steps(
      RecurrentCell.Prepared<S> sequence,
      Tensor mask,
      int start,
      int end,
      S state,
      List<Var> outputs) {
    for (int t = start; t < end; t++) {
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
    return state;
  }

  /** {@link #steps} as one recomputed segment: its outputs and the values of its last state. */
  private S recomputed(
      RecurrentCell.Prepared<S> sequence,
      Tensor mask,
      int start,
      int end,
      S from,
      List<Var> outputs) {
    // The state the segment's first run ends in: the form of the state its values are put back in.
    List<S> last = new ArrayList<>(1);
    List<Var> values =
        Recompute.segment(
            () -> {
              List<Var> segment = new ArrayList<>();
              S state = steps(sequence, mask, start, end, from, segment);
              if (last.isEmpty()) {
                last.add(state);
              }
              var unused = state.mapAll(value -> add(segment, value));
              return segment;
            });
    outputs.addAll(values.subList(0, end - start));
    Iterator<Var> stateValues = values.subList(end - start, values.size()).iterator();
    return last.get(0).mapAll(value -> stateValues.next());
  }

  private static Var add(List<Var> values, Var value) {
    values.add(value);
    return value;
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
