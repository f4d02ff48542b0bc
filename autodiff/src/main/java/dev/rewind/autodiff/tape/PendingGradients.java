package dev.rewind.autodiff.tape;

import dev.rewind.autodiff.tensor.GradientSum;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * The gradients that have reached each value during one backward pass and wait to be summed: by
 * slot (one per output of each recorded op, see {@link Tape}) for values recorded on the tape, by
 * identity for leaves. A value used several times gets the sum of its uses' gradients.
 *
 * <p>When an outer tape records the backward pass (gradients of gradients), every sum must be an op
 * on that tape, so gradients are {@link Var}s added with {@link Var#add}. When nothing records it,
 * which is the common case of training, gradients are plain tensors summed in place by a {@link
 * GradientSum}, and an op may add its inputs' gradients straight into their sums ({@link
 * Op#backwardInPlace}).
 */
abstract class PendingGradients {
  /** Sums as ops, for a backward pass an outer tape records. */
  static PendingGradients recorded(int slots) {
    return new Recorded(slots);
  }

  /** Sums in place, for a backward pass nothing records. */
  static PendingGradients inPlace(int slots) {
    return new InPlace(slots);
  }

  /**
   * Sums in place, where the gradient of each leaf in {@code leafSums} goes into that sum: how a
   * recomputed segment adds its gradients into the sums of the pass it is part of.
   */
  static PendingGradients inPlace(int slots, Map<Var, GradientSum> leafSums) {
    InPlace pending = new InPlace(slots);
    pending.leaves.putAll(leafSums);
    return pending;
  }

  /** Adds {@code gradient} to the value at {@code slot}. */
  abstract void add(int slot, Var gradient);

  /** Adds {@code gradient} to the leaf {@code value}. */
  abstract void addToLeaf(Var value, Var gradient);

  /**
   * The summed gradients of an op's {@code count} outputs, at slots from {@code first} on, each
   * null if none reached it; or null if none reached any. Each is taken once.
   */
  abstract Var[] take(int first, int count);

  /**
   * Back-propagates through {@code op}: adds the gradients of its {@code needed} inputs, given its
   * outputs' ({@code gradOutputs}, null where none), to their sums, straight into them where the op
   * allows it ({@link #backwardInPlace}), else through its backward rule. {@code slots} tells where
   * an input's sum is ({@code -1} for a leaf); with {@code checkFinite}, a non-finite gradient is
   * an anomaly.
   */
  final void backward(
      Op op, Var[] gradOutputs, boolean[] needed, ToIntFunction<Var> slots, boolean checkFinite) {
    if (backwardInPlace(op, gradOutputs, needed, slots, checkFinite)) {
      return;
    }
    Var[] inputGradients = op.runBackward(gradOutputs, needed);
    if (checkFinite) {
      Anomalies.checkBackward(op, inputGradients);
    }
    Var[] inputs = op.inputs();
    for (int i = 0; i < inputs.length; i++) {
      if (needed[i] && inputGradients[i] != null) {
        // Fan-out is a sum: a value used several times gets the sum of its uses' gradients.
        int slot = slots.applyAsInt(inputs[i]);
        if (slot >= 0) {
          add(slot, inputGradients[i]);
        } else {
          addToLeaf(inputs[i], inputGradients[i]);
        }
      }
    }
  }

  /**
   * Lets {@code op} add the gradients of its {@code needed} inputs straight into their sums, given
   * its outputs' gradients; false if this kind of sum or the op does not allow it, and nothing was
   * added. {@code slots} tells where an input's sum is ({@code -1} for a leaf). With {@code
   * checkFinite}, a sum that the op makes non-finite is an anomaly.
   */
  abstract boolean backwardInPlace(
      Op op, Var[] gradOutputs, boolean[] needed, ToIntFunction<Var> slots, boolean checkFinite);

  /** The summed gradient of a leaf, or null if none reached it. */
  abstract Var leaf(Var value);

  /**
   * Adds to {@code held} the gradient that the sum of each of {@code op}'s {@code needed} inputs
   * holds without a copy ({@link GradientSum#uncopied}), once for each sum; nothing for sums that
   * are ops.
   */
  abstract void uncopiedOfInputs(
      Op op, boolean[] needed, ToIntFunction<Var> slots, List<Tensor> held);

  private static final class Recorded extends PendingGradients {
    private final Var[] sums;
    private final Map<Var, Var> leaves = new IdentityHashMap<>();

    Recorded(int slots) {
      sums = new Var[slots];
    }

    @Override
    void add(int slot, Var gradient) {
      sums[slot] = sums[slot] == null ? gradient : sums[slot].add(gradient);
    }

    @Override
    void addToLeaf(Var value, Var gradient) {
      leaves.merge(value, gradient, Var::add);
    }

    @Override
    Var[] take(int first, int count) {
      Var[] taken = null;
      for (int k = 0; k < count; k++) {
        if (sums[first + k] != null) {
          if (taken == null) {
            taken = new Var[count];
          }
          taken[k] = sums[first + k];
          sums[first + k] = null; // used once: let it go
        }
      }
      return taken;
    }

    @Override
    boolean backwardInPlace(
        Op op, Var[] gradOutputs, boolean[] needed, ToIntFunction<Var> slots, boolean checkFinite) {
      return false;
    }

    @Override
    Var leaf(Var value) {
      return leaves.get(value);
    }

    @Override
    void uncopiedOfInputs(Op op, boolean[] needed, ToIntFunction<Var> slots, List<Tensor> held) {}
  }

  private static final class InPlace extends PendingGradients {
    private final GradientSum[] sums;
    private final Map<Var, GradientSum> leaves = new IdentityHashMap<>();
    // The arrays handed to Op.backwardInPlace, one of each length, cleared after each call.
    private Tensor[][] gradOutputArrays = new Tensor[0][];
    private GradientSum[][] intoArrays = new GradientSum[0][];

    InPlace(int slots) {
      sums = new GradientSum[slots];
    }

    @Override
    void add(int slot, Var gradient) {
      sumAt(slot, gradient.peek()).add(gradient.peek());
    }

    @Override
    void addToLeaf(Var value, Var gradient) {
      leafSum(value).add(gradient.peek());
    }

    @Override
    Var[] take(int first, int count) {
      Var[] taken = null;
      for (int k = 0; k < count; k++) {
        GradientSum sum = sums[first + k];
        sums[first + k] = null;
        if (sum != null && !sum.isEmpty()) {
          if (taken == null) {
            taken = new Var[count];
          }
          taken[k] = Var.constant(sum.result());
        }
      }
      return taken;
    }

    @Override
    boolean backwardInPlace(
        Op op, Var[] gradOutputs, boolean[] needed, ToIntFunction<Var> slots, boolean checkFinite) {
      Var[] inputs = op.inputs();
      Tensor[] gradients = gradOutputArray(gradOutputs.length);
      GradientSum[] into = intoArray(inputs.length);
      try {
        for (int k = 0; k < gradOutputs.length; k++) {
          gradients[k] = gradOutputs[k] == null ? null : gradOutputs[k].peek();
        }
        for (int i = 0; i < inputs.length; i++) {
          if (needed[i]) {
            int slot = slots.applyAsInt(inputs[i]);
            into[i] = slot >= 0 ? sumAt(slot, inputs[i].peek()) : leafSum(inputs[i]);
          }
        }
        if (!op.backwardInPlace(gradients, into)) {
          return false;
        }
        if (checkFinite) {
          for (int i = 0; i < inputs.length; i++) {
            if (into[i] != null) {
              Anomalies.checkAccumulated(op, i, into[i]);
            }
          }
        }
        return true;
      } finally {
        Arrays.fill(gradients, null);
        Arrays.fill(into, null);
      }
    }

    private Tensor[] gradOutputArray(int length) {
      if (length >= gradOutputArrays.length) {
        gradOutputArrays = Arrays.copyOf(gradOutputArrays, length + 1);
      }
      if (gradOutputArrays[length] == null) {
        gradOutputArrays[length] = new Tensor[length];
      }
      return gradOutputArrays[length];
    }

    private GradientSum[] intoArray(int length) {
      if (length >= intoArrays.length) {
        intoArrays = Arrays.copyOf(intoArrays, length + 1);
      }
      if (intoArrays[length] == null) {
        intoArrays[length] = new GradientSum[length];
      }
      return intoArrays[length];
    }

    /** The sum at {@code slot}, made for the shape and dtype of {@code like} if there is none. */
    private GradientSum sumAt(int slot, Tensor like) {
      if (sums[slot] == null) {
        sums[slot] = new GradientSum(like.shape(), like.dtype());
      }
      return sums[slot];
    }

    private GradientSum leafSum(Var value) {
      return leaves.computeIfAbsent(value, v -> new GradientSum(v.shape(), v.peek().dtype()));
    }

    @Override
    Var leaf(Var value) {
      GradientSum sum = leaves.get(value);
      return sum == null || sum.isEmpty() ? null : Var.constant(sum.result());
    }

    @Override
    void uncopiedOfInputs(Op op, boolean[] needed, ToIntFunction<Var> slots, List<Tensor> held) {
      Var[] inputs = op.inputs();
      // An input read twice has one sum: listed once. Inputs are few but for a stack of steps.
      Set<Var> listed =
          inputs.length > SpentGradients.FEW
              ? Collections.newSetFromMap(new IdentityHashMap<>(inputs.length))
              : null;
      for (int i = 0; i < inputs.length; i++) {
        boolean first = listed == null ? !readEarlier(inputs, i) : listed.add(inputs[i]);
        if (needed[i] && first) {
          int slot = slots.applyAsInt(inputs[i]);
          GradientSum sum = slot >= 0 ? sums[slot] : leaves.get(inputs[i]);
          Tensor uncopied = sum == null ? null : sum.uncopied();
          if (uncopied != null) {
            held.add(uncopied);
          }
        }
      }
    }

    /** Whether the op reads its input {@code i} at an earlier position too. */
    private static boolean readEarlier(Var[] inputs, int i) {
      for (int j = 0; j < i; j++) {
        if (inputs[j] == inputs[i]) {
          return true;
        }
      }
      return false;
    }
  }
}
