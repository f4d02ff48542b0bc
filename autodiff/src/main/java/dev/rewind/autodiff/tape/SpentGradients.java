package dev.rewind.autodiff.tape;

import dev.rewind.autodiff.internal.Buffers;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Gives each gradient's array back to the thread as soon as a backward pass on a recycling tape has
 * spent it, so that the gradients the pass computes next reuse it while it is still in cache, and a
 * step's arrays are its forward values and the few gradients in flight rather than every gradient
 * the pass computed (which the tape would otherwise keep until it closes).
 *
 * <p>A gradient reaches one op, as the summed gradient of one of its outputs; once that op's
 * backward rule has run, its array is read again only if the rule passed it on, into the sum of an
 * input, which then holds it without a copy ({@link
 * dev.rewind.autodiff.tensor.GradientSum#uncopied}), or if the pass hands it out. So after each op,
 * an array an input's sum holds that is also the op's gradient, or that two of its inputs' sums
 * hold, is kept for the rest of the pass (those are the only ways one array reaches two readers),
 * as are the gradients the pass hands out; every other gradient of the op's outputs goes back. Only
 * arrays lent during the pass go back: the forward values it reads are never touched.
 */
final class SpentGradients implements AutoCloseable {
  private static final SpentGradients NONE = new SpentGradients(null);
  // Up to this many arrays (or an op's inputs) are compared pair by pair; more go through a set.
  static final int FEW = 8;

  // Null for a pass that lends nothing.
  private final Buffers.Loan loan;
  private final List<Tensor> held = new ArrayList<>();

  private SpentGradients(Buffers.Loan loan) {
    this.loan = loan;
  }

  /** Reclaims through {@code loan}, or nothing if it is null, until {@link #close}. */
  static SpentGradients reclaimingFor(Buffers.Loan loan) {
    if (loan == null) {
      return NONE;
    }
    loan.startReclaiming();
    return new SpentGradients(loan);
  }

  /** A pass that reclaims nothing: an inner pass, or one another tape records. */
  static SpentGradients none() {
    return NONE;
  }

  /**
   * After {@code op}'s backward rule has run on {@code gradOutputs} (null where none): gives back
   * the arrays it spent. {@code handedOut} when the pass hands these gradients to its caller.
   */
  void afterBackward(
      Op op,
      Var[] gradOutputs,
      boolean handedOut,
      boolean[] needed,
      PendingGradients pending,
      ToIntFunction<Var> slots) {
    if (loan == null) {
      return;
    }
    pending.uncopiedOfInputs(op, needed, slots, held);
    if (held.size() <= FEW) {
      for (int i = 0; i < held.size(); i++) {
        Object passedOn = Buffers.arrayOf(held.get(i));
        if (readTwice(passedOn, i, gradOutputs)) {
          loan.keep(passedOn);
        }
      }
    } else {
      keepReadTwice(gradOutputs);
    }
    for (Var gradient : gradOutputs) {
      if (gradient == null) {
        continue;
      }
      Object array = Buffers.arrayOf(gradient.peek());
      if (handedOut) {
        loan.keep(array);
      } else {
        loan.reclaim(array);
      }
    }
    held.clear();
  }

  /** {@link #readTwice} for many held arrays (a stack of every step's outputs): by a set. */
  private void keepReadTwice(Var[] gradOutputs) {
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>(2 * held.size()));
    for (Var gradient : gradOutputs) {
      if (gradient != null) {
        seen.add(Buffers.arrayOf(gradient.peek()));
      }
    }
    for (Tensor passedOn : held) {
      Object array = Buffers.arrayOf(passedOn);
      if (!seen.add(array)) {
        loan.keep(array);
      }
    }
  }

  /** Whether {@code array}, held at {@code index}, is a gradient's or held before it too. */
  private boolean readTwice(Object array, int index, Var[] gradOutputs) {
    for (Var gradient : gradOutputs) {
      if (gradient != null && Buffers.arrayOf(gradient.peek()) == array) {
        return true;
      }
    }
    for (int j = 0; j < index; j++) {
      if (Buffers.arrayOf(held.get(j)) == array) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    if (loan != null) {
      loan.stopReclaiming();
    }
  }
}
