package dev.rewind.autodiff.tape;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import com.google.common.collect.Sets;
import dev.rewind.autodiff.tensor.GradientSum;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * A Wengert list: the ops applied while it is open, in the order they ran. Reverse-mode
 * differentiation walks it backwards in a loop, so an unrolled sequence of any length is
 * differentiated without recursion.
 *
 * <pre>{@code
 * try (Tape tape = Tape.record()) {
 *   Var loss = model.loss(batch);
 *   Gradients gradients = tape.gradient(loss, model.parameters());
 * }
 * }</pre>
 *
 * <p>A tape records only while open, only ops run on the thread that opened it, and must be used
 * and closed on that thread. Tapes nest: ops record on every open tape, and the backward pass of an
 * inner tape is recorded on the outer ones, which gives gradients of gradients. With no outer tape
 * the backward pass records nothing.
 */
public final class Tape implements AutoCloseable {
  private final Thread owner = Thread.currentThread();
  private final Recording recording = Recording.current();
  private final boolean detectAnomalies;
  private final List<Op> ops = new ArrayList<>();
  private final Map<Var, Integer> positions = new IdentityHashMap<>();
  // The slot of each recorded op's first output; see slotOf.
  private int[] firstSlot = new int[64];
  private int slots;
  private boolean differentiating;
  private boolean closed;
  private final ArrayReuse arrays;

  private Tape(boolean detectAnomalies, boolean recycles) {
    this.detectAnomalies = detectAnomalies;
    this.arrays = recycles ? ArrayReuse.ofThisThread() : ArrayReuse.none();
    recording.open(this);
  }

  /** Opens a tape on this thread; close it with try-with-resources. */
  public static Tape record() {
    return new Tape(false, false);
  }

  /**
   * Opens a tape that reuses its arrays: when it closes, the arrays of the values it recorded and
   * of the gradients its backward passes computed go back to this thread, and the next recycling
   * tape's ops and backward passes write into them instead of asking the heap for new ones. Until
   * it closes it keeps them all, so a step's peak of live memory is its forward pass's values plus
   * its backward pass's gradients, where a plain tape's gradients die as the pass goes. A training
   * loop that records the same shapes each step then runs with little garbage, and the JVM's heap
   * stays near what one step holds. The numbers are the same bits as {@link #record()}'s.
   *
   * <p>What stays readable after it closes: every value read with {@link Var#value()} while it was
   * open (the loss, a state to carry), the gradients it returned, and every value it did not
   * compute (inputs, parameters, constants). Reading any other value it recorded throws an {@link
   * IllegalStateException} that says so; {@link Var#detach()} reads the value, so a state detached
   * before the tape closes stays valid. A recycling tape inside or around another tape, or whose
   * {@link #recorded} ops were handed out, takes nothing back.
   */
  public static Tape recordRecycling() {
    return new Tape(false, true);
  }

  /**
   * Opens a tape in anomaly mode: the first op whose output or gradient holds NaN or ±Inf throws an
   * {@link AnomalyException} naming the op, its input shapes and the line that built it. Each op
   * then costs a stack walk, so use it to find a fault, not to train.
   */
  public static Tape recordDetectingAnomalies() {
    return new Tape(true, false);
  }

  /**
   * Stops recording on every tape of this thread until the returned scope closes, as PyTorch's
   * {@code no_grad}: values computed inside are constants.
   */
  public static NoGradScope noGrad() {
    return new NoGradScope(Recording.current());
  }

  /** {@code dy/dx} for each {@code x}; {@code y} must hold a single element. */
  public Gradients gradient(Var y, Var... xs) {
    return gradient(y, Arrays.asList(xs));
  }

  /** {@code dy/dx} for each {@code x}; {@code y} must hold a single element. */
  public Gradients gradient(Var y, List<? extends Var> xs) {
    checkArgument(
        y.shape().size() == 1,
        "gradient: y has shape %s; a y with more than one element needs a seed gradient of its"
            + " shape (a vector-Jacobian product)",
        y.shape());
    return gradient(y, Var.constant(Tensor.full(y.shape(), 1.0, y.dtype())), xs);
  }

  /** The vector-Jacobian product {@code seed^T dy/dx} for each {@code x}. */
  public Gradients gradient(Var y, Tensor seed, List<? extends Var> xs) {
    return gradient(y, Var.constant(seed), xs);
  }

  /**
   * The vector-Jacobian product {@code seed^T dy/dx} for each {@code x}; {@code seed} may itself be
   * recorded on an outer tape. An {@code x} that {@code y} does not depend on gets zeros.
   */
  public Gradients gradient(Var y, Var seed, List<? extends Var> xs) {
    checkUsable("gradient");
    checkArgument(
        seed.shape().equals(y.shape()),
        "gradient: seed has shape %s but y has shape %s",
        seed.shape(),
        y.shape());
    Set<Var> wanted = Sets.newIdentityHashSet();
    wanted.addAll(xs);
    int last = positionOf(y);
    checkArgument(
        last >= 0 || wanted.contains(y),
        "gradient: y (shape %s) was not recorded on this tape: it was computed before the tape"
            + " opened, on another tape, inside noGrad, or detached",
        y.shape());
    int slots = last >= 0 ? firstSlot[last] + ops.get(last).outputs().length : 0;
    PendingGradients pending =
        recording.recordsBesides(this)
            ? PendingGradients.recorded(slots)
            : PendingGradients.inPlace(slots);
    boolean[] keep = new boolean[last + 1];
    for (Var x : xs) {
      int position = positionOf(x);
      if (position >= 0 && position <= last) {
        keep[position] = true;
      }
    }
    Map<Var, Var> result = new IdentityHashMap<>();
    if (last >= 0) {
      pending.add(slotOf(y), seed);
      // A backward pass another tape records keeps its values on that tape: nothing is lent.
      boolean lending = arrays.lends() && !recording.recordsBesides(this);
      if (lending) {
        arrays.start();
      }
      try (SpentGradients spent = lending ? arrays.spentGradients() : SpentGradients.none()) {
        backpropagate(last, wanted, keep, pending, result, spent);
      } finally {
        if (lending) {
          arrays.stop();
        }
      }
    } else {
      pending.addToLeaf(y, seed);
    }
    for (Var x : xs) {
      int position = positionOf(x);
      Var gradient = position >= 0 && position <= last ? null : pending.leaf(x);
      if (gradient != null) {
        result.put(x, gradient);
      }
    }
    arrays.handOut(result.values());
    return Gradients.of(xs, result);
  }

  /**
   * Walks the tape back from {@code last}; the gradients of wanted values recorded on it go into
   * {@code kept}, those of leaves stay in {@code pending}.
   */
  private void backpropagate(
      int last,
      Set<Var> wanted,
      boolean[] keep,
      PendingGradients pending,
      Map<Var, Var> kept,
      SpentGradients spent) {
    WantedPaths paths = new WantedPaths(ops, last, wanted, keep, this::positionOf);
    ToIntFunction<Var> slots = this::slotOf;
    differentiating = true;
    try {
      for (int position = last; position >= 0; position--) {
        if (!paths.visits(position)) {
          continue;
        }
        Op op = ops.get(position);
        Var[] outputs = op.outputs();
        Var[] gradOutputs = pending.take(firstSlot[position], outputs.length);
        if (gradOutputs == null) {
          continue;
        }
        if (keep[position]) {
          for (int k = 0; k < outputs.length; k++) {
            if (gradOutputs[k] != null) {
              kept.put(outputs[k], gradOutputs[k]);
            }
          }
        }
        Var[] inputs = op.inputs();
        boolean[] needed = new boolean[inputs.length];
        boolean any = false;
        for (int i = 0; i < inputs.length; i++) {
          needed[i] = paths.leadsToWanted(inputs[i]);
          any |= needed[i];
        }
        if (any) {
          pending.backward(op, gradOutputs, needed, slots, detectAnomalies);
        }
        spent.afterBackward(op, gradOutputs, keep[position], needed, pending, slots);
      }
    } finally {
      differentiating = false;
    }
  }

  /**
   * Back-propagates {@code gradOutputs} (null where none) from {@code outputs}, values recorded on
   * this tape, adding the gradient of each value this tape did not record that has a sum in {@code
   * sums} into that sum; the values with no sum get nothing. The recomputation of a segment runs
   * its backward pass this way, into the sums of the pass that reached it.
   */
  void backpropagateInto(Var[] outputs, Tensor[] gradOutputs, Map<Var, GradientSum> sums) {
    checkUsable("backpropagateInto");
    PendingGradients pending = PendingGradients.inPlace(slots, sums);
    int last = -1;
    for (int k = 0; k < outputs.length; k++) {
      if (gradOutputs[k] != null) {
        pending.add(slotOf(outputs[k]), Var.constant(gradOutputs[k]));
        last = Math.max(last, positionOf(outputs[k]));
      }
    }
    if (last >= 0) {
      Set<Var> wanted = Sets.newIdentityHashSet();
      wanted.addAll(sums.keySet());
      backpropagate(
          last,
          wanted,
          new boolean[last + 1],
          pending,
          new IdentityHashMap<>(),
          SpentGradients.none());
    }
  }

  /** Whether {@code value} was computed by an op recorded on this tape. */
  boolean holds(Var value) {
    return positionOf(value) >= 0;
  }

  /** The values the recorded ops read but this tape did not record, in the order first read. */
  List<Var> externalInputs() {
    Set<Var> seen = Sets.newIdentityHashSet();
    List<Var> external = new ArrayList<>();
    for (Op op : ops) {
      for (Var input : op.inputs()) {
        if (positionOf(input) < 0 && seen.add(input)) {
          external.add(input);
        }
      }
    }
    return external;
  }

  /** The position of the op that computed {@code value} on this tape, or -1 if none did. */
  private int positionOf(Var value) {
    if (value.recordedOn == this) {
      return value.recordedAt;
    }
    Integer position = positions.get(value);
    return position == null ? -1 : position;
  }

  /**
   * Where the backward pass sums {@code value}'s gradient: one slot per output of every recorded
   * op, in order; -1 for a value not recorded on this tape.
   */
  private int slotOf(Var value) {
    int position = positionOf(value);
    return position < 0 ? -1 : firstSlot[position] + value.outputIndex;
  }

  /** The number of ops recorded so far; an op with several outputs counts once. */
  public int size() {
    checkUsable("size");
    return ops.size();
  }

  /** The ops recorded so far, in the order they ran. */
  public List<Op> recorded() {
    checkUsable("recorded");
    // The ops' values are out of the tape's sight from now on.
    arrays.share();
    return Collections.unmodifiableList(ops);
  }

  /**
   * The recorded graph in Graphviz DOT: ops as boxes (one for an op with several outputs), inputs
   * as ellipses, shapes on the edges.
   */
  public String toDot() {
    checkUsable("toDot");
    return DotWriter.write(ops);
  }

  /** Stops recording and releases every recorded value. */
  @Override
  public void close() {
    checkOwner("close");
    if (!closed) {
      closed = true;
      arrays.giveBack(ops, value -> positionOf(value) >= 0);
      ops.clear();
      positions.clear();
      recording.close(this);
    }
  }

  /** What this tape borrows and gives back: nothing, unless it recycles. */
  ArrayReuse arrays() {
    return arrays;
  }

  boolean isRecording() {
    return !differentiating;
  }

  boolean detectsAnomalies() {
    return detectAnomalies;
  }

  void append(Op op) {
    int position = ops.size();
    // The first tape to record a value keeps its position in the value itself; tapes nested
    // around it (rare) keep theirs in a map.
    for (Var output : op.outputs()) {
      if (output.recordedOn == null) {
        output.recordedOn = this;
        output.recordedAt = position;
      } else {
        positions.put(output, position);
      }
    }
    if (position == firstSlot.length) {
      firstSlot = Arrays.copyOf(firstSlot, 2 * position);
    }
    firstSlot[position] = slots;
    slots += op.outputs().length;
    ops.add(op);
  }

  private void checkUsable(String method) {
    checkOwner(method);
    checkState(
        !closed, "%s: the tape is closed; use it inside its try-with-resources block", method);
  }

  private void checkOwner(String method) {
    Thread current = Thread.currentThread();
    checkState(
        current == owner,
        "%s: the tape was opened on thread '%s' and is confined to it, but was used from thread '%s'",
        method,
        owner.getName(),
        current.getName());
  }

  /** A scope in which nothing is recorded; see {@link Tape#noGrad()}. */
  public static final class NoGradScope implements AutoCloseable {
    private final Recording recording;
    private boolean closed;

    private NoGradScope(Recording recording) {
      this.recording = recording;
      recording.pause();
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        recording.resume();
      }
    }
  }
}
