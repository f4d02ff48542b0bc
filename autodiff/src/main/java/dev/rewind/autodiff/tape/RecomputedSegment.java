package dev.rewind.autodiff.tape;

import static com.google.common.base.Preconditions.checkState;

import dev.rewind.autodiff.tensor.GradientSum;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The node a {@link Recompute#segment} leaves on the tape: its inputs are the values the segment
 * read, its outputs the values it computed, and its backward rule runs the segment again on a tape
 * of its own and back-propagates through that, adding the gradients of what it read straight into
 * the sums of the pass ({@link #backwardInPlace}), in the order the plain tape would.
 */
final class RecomputedSegment extends MultiOutputOp {
  private final Supplier<? extends List<Var>> segment;
  private final RandomDraws draws;
  private final Tensor[] values;
  // For each output, where the segment's list first holds it.
  private final int[] listedAt;

  RecomputedSegment(
      Supplier<? extends List<Var>> segment, RandomDraws draws, Tensor[] values, int[] listedAt) {
    this.segment = segment;
    this.draws = draws;
    this.values = values;
    this.listedAt = listedAt;
  }

  /** Nothing to check: the inputs are the values the segment read. */
  @Override
  protected void checkInputs(Shape... shapes) {}

  /** The values the segment computed when it ran. */
  @Override
  protected Tensor[] forwardAll(Tensor... inputs) {
    return values;
  }

  @Override
  protected boolean backwardInPlace(Tensor[] gradOutputs, GradientSum[] into) {
    Map<Var, GradientSum> sums = new IdentityHashMap<>();
    for (int i = 0; i < into.length; i++) {
      if (into[i] != null) {
        sums.put(input(i), into[i]);
      }
    }
    RandomDraws replay = draws.replay();
    try (Recording.Isolation isolated = Recording.current().isolate(replay);
        Tape tape = isolated.openTape()) {
      List<Var> again = segment.get();
      Var[] outputs = new Var[values.length];
      for (int k = 0; k < values.length; k++) {
        outputs[k] = again.get(listedAt[k]);
        checkState(
            tape.holds(outputs[k]) && outputs[k].peek().equals(values[k]),
            "recompute: the segment computed other values when run again for the backward pass"
                + " (output %s of %s): a random number not drawn through Recompute.random, or a"
                + " parameter assigned before the gradient was taken?",
            k,
            values.length);
      }
      checkState(
          replay.replayedAll(),
          "recompute: the segment drew fewer random tensors when run again than it drew first");
      tape.backpropagateInto(outputs, gradOutputs, sums);
    }
    return true;
  }

  /** Reached only when the backward pass is recorded: gradients of gradients. */
  @Override
  protected Var[] backwardAll(Var... gradOutputs) {
    throw new IllegalStateException(
        "recompute: gradients of gradients (a backward pass recorded on an outer tape) do not go"
            + " through a recomputed segment; compute them without recomputation");
  }
}
