package dev.rewind.autodiff.tape;

import java.util.ArrayList;
import java.util.List;

/**
 * The tapes open on one thread, and whether recording is paused. Tapes nest: an op records on every
 * open tape, so that a gradient taken on an inner tape is itself recorded on the outer one.
 */
final class Recording {
  private static final ThreadLocal<Recording> CURRENT = ThreadLocal.withInitial(Recording::new);

  private final List<Tape> open = new ArrayList<>();
  private int pauseDepth;

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
        tape.append(op);
      }
    }
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
