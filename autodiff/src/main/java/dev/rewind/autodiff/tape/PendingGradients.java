package dev.rewind.autodiff.tape;

import dev.rewind.autodiff.tensor.GradientSum;
import dev.rewind.autodiff.tensor.Shape;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The gradients that have reached each value during one backward pass and wait to be summed: by
 * position for values recorded on the tape, by identity for leaves. A value used several times gets
 * the sum of its uses' gradients.
 *
 * <p>When an outer tape records the backward pass (gradients of gradients), every sum must be an op
 * on that tape, so gradients are {@link Var}s added with {@link Var#add}. When nothing records it,
 * which is the common case of training, gradients are plain tensors summed in place by a {@link
 * GradientSum}, and a slice's gradient adds into its region without being padded first.
 */
abstract class PendingGradients {
  /** Sums as ops, for a backward pass an outer tape records. */
  static PendingGradients recorded(int positions) {
    return new Recorded(positions);
  }

  /** Sums in place, for a backward pass nothing records. */
  static PendingGradients inPlace(int positions) {
    return new InPlace(positions);
  }

  /** Adds {@code gradient} to the value at {@code position}. */
  abstract void add(int position, Var gradient);

  /** Adds {@code gradient} to the leaf {@code value}. */
  abstract void addToLeaf(Var value, Var gradient);

  /**
   * Lets {@code op} add the gradient of its input {@code index} (recorded at {@code position}, or a
   * leaf when it is -1) straight into that input's sum; false if this kind of sum or the op does
   * not allow it. With {@code checkFinite}, a sum that the op makes non-finite is an anomaly.
   */
  abstract boolean accumulate(Op op, int index, Var gradOutput, int position, boolean checkFinite);

  /** The summed gradient of the value at {@code position}, or null if none reached it. */
  abstract Var take(int position);

  /** The summed gradient of a leaf, or null if none reached it. */
  abstract Var leaf(Var value);

  private static final class Recorded extends PendingGradients {
    private final Var[] sums;
    private final Map<Var, Var> leaves = new IdentityHashMap<>();

    Recorded(int positions) {
      sums = new Var[positions];
    }

    @Override
    void add(int position, Var gradient) {
      sums[position] = sums[position] == null ? gradient : sums[position].add(gradient);
    }

    @Override
    void addToLeaf(Var value, Var gradient) {
      leaves.merge(value, gradient, Var::add);
    }

    @Override
    boolean accumulate(Op op, int index, Var gradOutput, int position, boolean checkFinite) {
      return false;
    }

    @Override
    Var take(int position) {
      Var sum = sums[position];
      sums[position] = null; // used once: let it go
      return sum;
    }

    @Override
    Var leaf(Var value) {
      return leaves.get(value);
    }
  }

  private static final class InPlace extends PendingGradients {
    private final GradientSum[] sums;
    private final Map<Var, GradientSum> leaves = new IdentityHashMap<>();

    InPlace(int positions) {
      sums = new GradientSum[positions];
    }

    @Override
    void add(int position, Var gradient) {
      sumAt(position, gradient.shape()).add(gradient.value());
    }

    @Override
    void addToLeaf(Var value, Var gradient) {
      leaves.computeIfAbsent(value, v -> new GradientSum(v.shape())).add(gradient.value());
    }

    @Override
    boolean accumulate(Op op, int index, Var gradOutput, int position, boolean checkFinite) {
      Var input = op.inputs()[index];
      GradientSum sum =
          position >= 0
              ? sumAt(position, input.shape())
              : leaves.computeIfAbsent(input, v -> new GradientSum(v.shape()));
      if (!op.accumulateGradient(index, gradOutput.value(), sum)) {
        return false;
      }
      if (checkFinite) {
        Anomalies.checkAccumulated(op, index, sum);
      }
      return true;
    }

    private GradientSum sumAt(int position, Shape shape) {
      if (sums[position] == null) {
        sums[position] = new GradientSum(shape);
      }
      return sums[position];
    }

    @Override
    Var take(int position) {
      GradientSum sum = sums[position];
      sums[position] = null;
      return sum == null || sum.isEmpty() ? null : Var.constant(sum.result());
    }

    @Override
    Var leaf(Var value) {
      GradientSum sum = leaves.get(value);
      return sum == null || sum.isEmpty() ? null : Var.constant(sum.result());
    }
  }
}
