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
import java.util.function.ObjIntConsumer;

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
 * <p>{@link #runWithLoss} applies a loss to each step's output as the step runs and returns only
 * their sum and the final state. Checkpointed, the loss runs inside the recomputed segments too, so
 * neither the outputs nor what the loss computes from them (a readout's logits) are kept for all T
 * steps: only the states at the segments' boundaries and the sum so far at each.
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
   * are the plain run's to the bit, for every cell, with or without a mask. With {@link
   * #runWithLoss}, a segment keeps its last state and the loss so far instead of its outputs.
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
    return run(inputs, cell.initialState(inputs.shape().dim(0), inputs.dtype()), null);
  }

  /**
   * Runs every step from {@code initial} (the cell's zero state when null); {@code mask} is {@code
   * [batch, time]} of 0 and 1, or null when every step is real.
   */
  public Unrolled<S> run(Var inputs, S initial, Tensor mask) {
    checkInputs(inputs, mask);
    int steps = inputs.shape().dim(1);
    List<Var> outputs = new ArrayList<>(steps);
    S state = initial == null ? cell.initialState(inputs.shape().dim(0), inputs.dtype()) : initial;
    RecurrentCell.Prepared<S> sequence = cell.prepare(inputs);
    if (segmentLength == null) {
      state = steps(sequence, mask, 0, steps, state, (output, t) -> outputs.add(output));
    } else {
      int length = segmentLength.applyAsInt(steps);
      for (int start = 0; start < steps; start += length) {
        int first = start;
        int end = Math.min(steps, start + length);
        state =
            recomputed(
                state,
                (from, listed) ->
                    steps(sequence, mask, first, end, from, (output, t) -> listed.add(output)),
                outputs);
      }
    }
    return new Unrolled<>(ImmutableList.copyOf(outputs), state);
  }

  /**
   * Runs every step from {@code initial} (the cell's zero state when null), with {@code mask}
   * ({@code [batch, time]} of 0 and 1, or null), and applies {@code stepLoss} to each step's output
   * right after the step: returns the sum of the steps' losses and the final state, not the
   * outputs.
   *
   * <p>Plain, this computes, op for op:
   *
   * <pre>
   *   for t = 0 … T−1:   (o(t), s(t)) = step t from s(t−1)      o(t) as {@link #run} returns it
   *                      ℓ(t) = stepLoss.of(t, o(t))
   *                      L = ℓ(0) when t = 0, L + ℓ(t) after
   * </pre>
   *
   * <p>that is {@code (…((ℓ(0) + ℓ(1)) + ℓ(2)) + …) + ℓ(T−1)}, summed left to right, each {@code
   * ℓ(t)} computed right after its step. {@link #checkpointed} runs the same ops in segments of k
   * steps, each taking the sum so far and returning it with its last state, and gives this loss and
   * its gradients (of every parameter, of the inputs and of the initial state) to the bit, while
   * keeping for the backward pass only T / k states and sums: none of the outputs, and nothing of
   * what {@code stepLoss} computes, beyond the k steps being recomputed.
   *
   * <p>Stacking the outputs and applying one loss over every step ({@link Unrolled#stacked}) is the
   * same function when the losses agree (a sum over the steps, or a mean scaled to match): its loss
   * and gradients differ from these only in rounding, the sums being taken in another order.
   *
   * <p>With a mask, a padded step's output is zeros and its state the previous one, as in {@link
   * #run}; {@code stepLoss} is called for it too, and decides what it counts (for example by
   * passing the mask's column to the loss). A checkpointed run calls {@code stepLoss} again for
   * each step when it recomputes the step, and needs the same values from it, as from the cell.
   *
   * @param stepLoss the loss of step t from its output {@code [batch, outputSize]}, a scalar: a
   *     readout and a cross-entropy against step t's targets, for example
   * @throws IllegalArgumentException if {@code stepLoss} returns a value that is not a scalar
   */
  public Summed<S> runWithLoss(Var inputs, S initial, Tensor mask, StepLoss stepLoss) {
    checkInputs(inputs, mask);
    int steps = inputs.shape().dim(1);
    S state = initial == null ? cell.initialState(inputs.shape().dim(0), inputs.dtype()) : initial;
    RecurrentCell.Prepared<S> sequence = cell.prepare(inputs);
    if (segmentLength == null) {
      RunningLoss sum = new RunningLoss(stepLoss, null);
      state = steps(sequence, mask, 0, steps, state, sum::add);
      return new Summed<>(sum.total(), state);
    }
    int length = segmentLength.applyAsInt(steps);
    List<Var> total = new ArrayList<>(1);
    for (int start = 0; start < steps; start += length) {
      int first = start;
      int end = Math.min(steps, start + length);
      Var before = total.isEmpty() ? null : total.remove(0);
      state =
          recomputed(
              state,
              (from, listed) -> {
                RunningLoss sum = new RunningLoss(stepLoss, before);
                S last = steps(sequence, mask, first, end, from, sum::add);
                listed.add(sum.total());
                return last;
              },
              total);
    }
    return new Summed<>(total.get(0), state);
  }

  /**
   * Steps {@code [start, end)} from {@code state}: hands on each output, returns the last state.
   */
  private S steps(
      RecurrentCell.Prepared<S> sequence,
      Tensor mask,
      int start,
      int end,
      S state,
      ObjIntConsumer<Var> eachOutput) {
    for (int t = start; t < end; t++) {
      RecurrentCell.Step<S> step = sequence.step(t, state);
      if (mask == null) {
        eachOutput.accept(step.output(), t);
        state = step.state();
      } else {
        Tensor keep = Layout.slice(mask, 1, t, t + 1);
        eachOutput.accept(Var.where(keep, step.output(), Var.scalar(0, step.output().dtype())), t);
        state = step.state().where(keep, state);
      }
    }
    return state;
  }

  /** Steps from a state that list the values they carry out (outputs, a loss): the last state. */
  @FunctionalInterface
  private interface Segment<S> {
    S run(S from, List<Var> listed);
  }

  /**
   * {@code segment} from {@code from} as one recomputed segment: adds the values it listed to
   * {@code carried}, and returns the values of its last state.
   */
  private S recomputed(S from, Segment<S> segment, List<Var> carried) {
    // The state the segment's first run ends in (the form its values are put back in), and how
    // many values the segment listed before the state's.
    List<S> last = new ArrayList<>(1);
    int[] listedCount = new int[1];
    List<Var> values =
        Recompute.segment(
            () -> {
              List<Var> listed = new ArrayList<>();
              S state = segment.run(from, listed);
              if (last.isEmpty()) {
                last.add(state);
                listedCount[0] = listed.size();
              }
              var unused = state.mapAll(value -> add(listed, value));
              return listed;
            });
    carried.addAll(values.subList(0, listedCount[0]));
    Iterator<Var> stateValues = values.subList(listedCount[0], values.size()).iterator();
    return last.get(0).mapAll(value -> stateValues.next());
  }

  private static Var add(List<Var> values, Var value) {
    values.add(value);
    return value;
  }

  /** The sum of the steps' losses so far, each added as its step ends. */
  private final class RunningLoss {
    private final StepLoss stepLoss;
    private Var total;

    RunningLoss(StepLoss stepLoss, Var before) {
      this.stepLoss = stepLoss;
      this.total = before;
    }

    void add(Var output, int t) {
      Var loss = stepLoss.of(t, output);
      checkArgument(
          loss.shape().rank() == 0,
          "%s: the loss of step %s has shape %s, but a step's loss must be a scalar",
          cell.name(),
          t,
          loss.shape());
      total = total == null ? loss : total.add(loss);
    }

    Var total() {
      return total;
    }
  }

  private void checkInputs(Var inputs, Tensor mask) {
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
   * The loss of one step of {@link #runWithLoss}, computed from the step's output right after the
   * step.
   */
  @FunctionalInterface
  public interface StepLoss {
    /**
     * The loss of step {@code t} (counted from 0), a scalar, from the step's {@code output}, {@code
     * [batch, outputSize]} (zeros in a padded row). A checkpointed run calls it again for the step
     * when it recomputes the step, and needs the same value.
     */
    Var of(int t, Var output);
  }

  /**
   * What {@link #runWithLoss} returns: the sum of the steps' losses and the state after the last
   * step.
   *
   * @param loss {@code ℓ(0) + ℓ(1) + … + ℓ(T−1)}, summed left to right: a scalar
   * @param finalState the state after the last step (for a masked sequence, after its last real
   *     one)
   */
  public record Summed<S>(Var loss, S finalState) {}

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
