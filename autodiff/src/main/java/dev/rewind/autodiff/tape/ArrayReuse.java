package dev.rewind.autodiff.tape;

import dev.rewind.autodiff.internal.Buffers;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

/**
 * What a tape made with {@link Tape#recordRecycling()} borrows from its thread, and gives back when
 * it closes; a plain tape's borrows nothing. One job, apart from the tape's recording: deciding
 * which arrays may still be read, and so must not be reused.
 */
final class ArrayReuse {
  // Null for a plain tape.
  private final Buffers.Loan loan;
  // The gradients the tape handed out, whose arrays it must not take back.
  private final List<Tensor> handedOut = new ArrayList<>();
  // Whether the tape's values may be reachable in ways close cannot see: it then takes nothing.
  private boolean shared;

  private ArrayReuse(Buffers.Loan loan) {
    this.loan = loan;
  }

  /** For a plain tape: borrows nothing. */
  static ArrayReuse none() {
    return new ArrayReuse(null);
  }

  /** For a recycling tape: borrows this thread's given-back arrays. */
  static ArrayReuse ofThisThread() {
    return new ArrayReuse(Buffers.newLoan());
  }

  /** Whether ops applied while its tape alone records borrow their arrays. */
  boolean lends() {
    return loan != null && !shared;
  }

  /** Kernels borrow until the matching {@link #stop}; only when {@link #lends}. */
  void start() {
    loan.start();
  }

  void stop() {
    loan.stop();
  }

  /**
   * For a backward pass that lends (between {@link #start} and {@link #stop}): what takes back its
   * gradients' arrays as the pass spends them; until {@link SpentGradients#close}.
   */
  SpentGradients spentGradients() {
    return SpentGradients.reclaimingFor(loan);
  }

  /**
   * Another tape records beside this one, or its ops were handed out: its values may outlive it.
   */
  void share() {
    shared = true;
  }

  /** How many arrays the tape has borrowed, each counted once; 0 for a plain tape. */
  int borrowed() {
    return loan == null ? 0 : loan.lentCount();
  }

  /** The tape handed these gradients to its caller. */
  void handOut(Collection<Var> gradients) {
    if (loan != null) {
      for (Var gradient : gradients) {
        handedOut.add(gradient.peek());
      }
    }
  }

  /**
   * When the tape closes: gives the borrowed arrays back to the thread, but those of values that
   * may still be read (read with {@link Var#value()}, handed out as gradients, or not computed on
   * the tape, as {@code recordedHere} tells), and releases the other values the tape recorded, so
   * that reading one throws instead of seeing another step's numbers.
   */
  void giveBack(List<Op> ops, Predicate<Var> recordedHere) {
    if (loan == null) {
      return;
    }
    if (shared) {
      loan.forget();
      return;
    }
    Buffers.InUse inUse = loan.inUse(handedOut.size() + 2 * ops.size());
    handedOut.forEach(inUse::add);
    for (Op op : ops) {
      for (Var output : op.outputs()) {
        if (output.handedOut()) {
          inUse.add(output.peek());
        }
      }
      for (Var input : op.inputs()) {
        if (!recordedHere.test(input)) {
          inUse.add(input.peek());
        }
      }
    }
    loan.giveBack(inUse);
    for (Op op : ops) {
      for (Var output : op.outputs()) {
        if (!inUse.contains(output.peek())) {
          output.release();
        }
      }
    }
  }
}
