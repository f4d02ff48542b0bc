package dev.rewind.autodiff.tape;

import static com.google.common.base.Preconditions.checkState;

import dev.rewind.autodiff.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The random tensors a recomputed segment draws ({@link Recompute#random}), in order: drawn and
 * kept when the segment first runs, handed back in the same order when it runs again in the
 * backward pass, so that the recomputation sees the same dropout masks and leaves the generators
 * where the first run left them.
 */
final class RandomDraws {
  private final List<Tensor> drawn;
  private final boolean replaying;
  private int next;

  private RandomDraws(List<Tensor> drawn, boolean replaying) {
    this.drawn = drawn;
    this.replaying = replaying;
  }

  /** An empty log that draws and keeps. */
  static RandomDraws drawing() {
    return new RandomDraws(new ArrayList<>(), false);
  }

  /** The same tensors again, from the first, without drawing. */
  RandomDraws replay() {
    return new RandomDraws(drawn, true);
  }

  /** The next tensor: drawn by {@code draw} and kept, or the kept one when replaying. */
  Tensor next(Supplier<Tensor> draw) {
    if (!replaying) {
      Tensor tensor = draw.get();
      drawn.add(tensor);
      return tensor;
    }
    checkState(
        next < drawn.size(),
        "recompute: the segment draws more random tensors when run again than the %s it drew"
            + " first",
        drawn.size());
    return drawn.get(next++);
  }

  /** Whether a replay handed back every tensor drawn first. */
  boolean replayedAll() {
    return next == drawn.size();
  }
}
