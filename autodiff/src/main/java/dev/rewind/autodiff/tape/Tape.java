package dev.rewind.autodiff.tape;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import com.google.common.collect.Sets;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
  private boolean differentiating;
  private boolean closed;

  private Tape(boolean detectAnomalies) {
    this.detectAnomalies = detectAnomalies;
    recording.open(this);
  }

  /** Opens a tape on this thread; close it with try-with-resources. */
  public static Tape record() {
    return new Tape(false);
  }

  /**
   * Opens a tape in anomaly mode: the first op whose output or gradient holds NaN or ±Inf throws an
   * {@link AnomalyException} naming the op, its input shapes and the line that built it. Each op
   * then costs a stack walk, so use it to find a fault, not to train.
   */
  public static Tape recordDetectingAnomalies() {
    return new Tape(true);
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
        y.value().size() == 1,
        "gradient: y has shape %s; a y with more than one element needs a seed gradient of its"
            + " shape (a vector-Jacobian product)",
        y.shape());
    return gradient(y, Var.constant(Tensor.ones(y.shape())), xs);
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
    Integer last = positions.get(y);
    checkArgument(
        last != null || wanted.contains(y),
        "gradient: y (shape %s) was not recorded on this tape: it was computed before the tape"
            + " opened, on another tape, inside noGrad, or detached",
        y.shape());
    Map<Var, Var> gradients = new IdentityHashMap<>();
    gradients.put(y, seed);
    if (last != null) {
      backpropagate(last, wanted, gradients);
    }
    return Gradients.of(xs, gradients);
  }

  private void backpropagate(int last, Set<Var> wanted, Map<Var, Var> gradients) {
    Set<Var> dependsOnWanted = dependents(last, wanted);
    differentiating = true;
    try {
      for (int position = last; position >= 0; position--) {
        Op op = ops.get(position);
        Var output = op.output();
        Var gradOutput = wanted.contains(output) ? gradients.get(output) : gradients.remove(output);
        if (gradOutput == null || !dependsOnWanted.contains(output)) {
          continue;
        }
        Var[] inputs = op.inputs();
        boolean[] needed = new boolean[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
          needed[i] = dependsOnWanted.contains(inputs[i]);
        }
        Var[] inputGradients = op.runBackward(gradOutput, needed);
        if (detectAnomalies) {
          Anomalies.checkBackward(op, inputGradients);
        }
        for (int i = 0; i < inputs.length; i++) {
          if (needed[i] && inputGradients[i] != null) {
            // Fan-out is a sum: a value used several times gets the sum of its uses' gradients.
            gradients.merge(inputs[i], inputGradients[i], Var::add);
          }
        }
      }
    } finally {
      differentiating = false;
    }
  }

  /** The wanted values and every value recorded up to {@code last} that depends on one of them. */
  private Set<Var> dependents(int last, Set<Var> wanted) {
    Set<Var> dependents = Sets.newIdentityHashSet();
    dependents.addAll(wanted);
    for (int position = 0; position <= last; position++) {
      Op op = ops.get(position);
      for (Var input : op.inputs()) {
        if (dependents.contains(input)) {
          dependents.add(op.output());
          break;
        }
      }
    }
    return dependents;
  }

  /** The number of ops recorded so far. */
  public int size() {
    checkUsable("size");
    return ops.size();
  }

  /** The ops recorded so far, in the order they ran. */
  public List<Op> recorded() {
    checkUsable("recorded");
    return Collections.unmodifiableList(ops);
  }

  /** The recorded graph in Graphviz DOT: ops as boxes, inputs as ellipses, shapes on the edges. */
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
      ops.clear();
      positions.clear();
      recording.close(this);
    }
  }

  boolean isRecording() {
    return !differentiating;
  }

  boolean detectsAnomalies() {
    return detectAnomalies;
  }

  void append(Op op) {
    positions.put(op.output(), ops.size());
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
