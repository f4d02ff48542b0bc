package dev.rewind.autodiff.tape;

import static com.google.common.base.Preconditions.checkState;

import dev.rewind.autodiff.internal.Buffers;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The tapes open on one thread, and whether recording is paused. Tapes nest: an op records on every
 * open tape, so that a gradient taken on an inner tape is itself recorded on the outer one.
 */
final class Recording {
  private static final ThreadLocal<Recording> CURRENT = ThreadLocal.withInitial(Recording::new);

  private final List<Tape> open = new ArrayList<>();
  private int pauseDepth;
  // While a recomputed segment runs in isolation: the random tensors it draws; null otherwise.
  private RandomDraws draws;

  static Recording current() {
    return CURRENT.get();
  }

  void record(Op op) {
    if (pauseDepth > 0 || open.isEmpty()) {
      return;
    }
    boolean checked = false;
    for (int i = 0; i < open.size(); i++) {
      Tape tape = open.get(i);
      if (tape.isRecording()) {
        if (tape.detectsAnomalies() && !checked) {
          op.rememberWhereBuilt();
          Anomalies.checkForward(op);
          checked = true;
        }
        if (open.size() > 1) {
          // Values recorded on two tapes may outlive either: neither may reuse their arrays.
          tape.arrays().share();
        }
        tape.append(op);
      }
    }
  }

  /**
   * What an op applied now should borrow its arrays from: that of the one tape recording, if it was
   * made with {@link Tape#recordRecycling()} and shares its values with no other; else null.
   */
  ArrayReuse lender() {
    if (pauseDepth > 0 || open.size() != 1) {
      return null;
    }
    Tape tape = open.get(0);
    return tape.isRecording() && tape.arrays().lends() ? tape.arrays() : null;
  }

  /**
   * Whether an op applied now would be recorded on a tape other than {@code tape}: whether the
   * backward pass {@code tape} is about to run is itself recorded, for gradients of gradients.
   */
  boolean recordsBesides(Tape tape) {
    if (pauseDepth > 0) {
      return false;
    }
    for (Tape other : open) {
      if (other != tape && other.isRecording()) {
        return true;
      }
    }
    return false;
  }

  /** Whether an op applied now would be recorded on some tape of this thread. */
  boolean isRecording() {
    if (pauseDepth > 0) {
      return false;
    }
    for (Tape tape : open) {
      if (tape.isRecording()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Sets this thread's tapes and any pause aside until the returned scope closes, so that a tape
   * opened inside records alone, and sends the random tensors drawn inside ({@link #draw}) through
   * {@code draws}: how a recomputed segment runs, forward and again in the backward pass.
   *
   * @throws IllegalStateException if a recomputed segment is running already
   */
  Isolation isolate(RandomDraws draws) {
    checkState(
        this.draws == null,
        "recompute: a segment cannot be recomputed inside another recomputed segment");
    return new Isolation(draws);
  }

  /** A random tensor: {@code draw}'s, or inside a recomputed segment its log's. */
  Tensor draw(Supplier<Tensor> draw) {
    return draws == null ? draw.get() : draws.next(draw);
  }

  /** The scope of {@link #isolate}; closing it brings back the tapes set aside. */
  final class Isolation implements AutoCloseable {
    private final List<Tape> setAside = new ArrayList<>(open);
    private final int pausedBefore = pauseDepth;
    // A segment's arrays die with it: none is lent to the tape whose backward pass runs it.
    private final Buffers.Suspension lendingBefore = Buffers.suspendLending();

    private Isolation(RandomDraws segmentDraws) {
      open.clear();
      pauseDepth = 0;
      draws = segmentDraws;
    }

    /** Opens the segment's tape: in anomaly mode if a tape set aside is. */
    Tape openTape() {
      for (Tape tape : setAside) {
        if (tape.detectsAnomalies()) {
          return Tape.recordDetectingAnomalies();
        }
      }
      return Tape.record();
    }

    @Override
    public void close() {
      open.clear();
      open.addAll(setAside);
      pauseDepth = pausedBefore;
      draws = null;
      Buffers.resumeLending(lendingBefore);
    }
  }

  void open(Tape tape) {
    open.add(tape);
  }

  void close(Tape tape) {
    open.remove(tape);
  }

  void pause() {
    pauseDepth++;
  }

  void resume() {
    pauseDepth--;
  }
}
