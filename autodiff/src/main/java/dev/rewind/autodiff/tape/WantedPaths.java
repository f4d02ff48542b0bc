package dev.rewind.autodiff.tape;

import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Which recorded values a backward pass must visit: those wanted, or computed from one that is. The
 * pass skips every other op, and gives an op's input a gradient only if it leads to a wanted value.
 */
final class WantedPaths {
  private final Set<Var> wanted;
  private final ToIntFunction<Var> positions;
  private final boolean[] leads;

  /**
   * For the ops up to {@code last}, where {@code keep[p]} marks the positions whose values are
   * wanted and {@code positions} gives a value's position on the tape (-1 for a value not recorded
   * on it, which leads to a wanted value only if it is one).
   */
  WantedPaths(
      List<Op> ops, int last, Set<Var> wanted, boolean[] keep, ToIntFunction<Var> positions) {
    this.wanted = wanted;
    this.positions = positions;
    this.leads = new boolean[last + 1];
    for (int position = 0; position <= last; position++) {
      leads[position] = keep[position];
      for (Var input : ops.get(position).inputs()) {
        if (leads[position]) {
          break;
        }
        leads[position] = leadsToWanted(input);
      }
    }
  }

  /** Whether the op at {@code position} computes a wanted value or one computed from it. */
  boolean visits(int position) {
    return leads[position];
  }

  /** Whether {@code value} is wanted or leads to a wanted value. */
  boolean leadsToWanted(Var value) {
    int position = positions.applyAsInt(value);
    return position >= 0 ? leads[position] : wanted.contains(value);
  }
}
