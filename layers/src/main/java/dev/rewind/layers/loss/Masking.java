package dev.rewind.layers.loss;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/** Masks and reduces per-element losses; shared by every loss of the package. */
final class Masking {
  private Masking() {}

  /**
   * Checks that {@code mask} (if not null) fits {@code elements} and holds only 0 and 1, and
   * returns it broadcast to {@code elements}. With {@code perStep}, a mask without the last
   * (feature) axis is accepted too: a sequence mask {@code [batch, time]} for values {@code [batch,
   * time, features]}.
   */
  static Tensor fit(String loss, String what, Shape elements, Tensor mask, boolean perStep) {
    if (mask == null) {
      return null;
    }
    Shape shape = mask.shape();
    boolean exact = shape.equals(elements);
    boolean steps =
        perStep && elements.rank() >= 2 && shape.equals(elements.without(elements.rank() - 1));
    if (!exact && !steps) {
      String message =
          perStep && elements.rank() >= 2
              ? String.format(
                  "%s: mask %s fits neither the %s %s nor their steps %s",
                  loss, shape, what, elements, elements.without(elements.rank() - 1))
              : String.format("%s: mask %s does not fit the %s %s", loss, shape, what, elements);
      throw new IllegalArgumentException(message);
    }
    for (int i = 0; i < mask.size(); i++) {
      double m = mask.getFlat(i);
      checkArgument(m == 0 || m == 1, "%s: mask must hold only 0 and 1, but holds %s", loss, m);
    }
    if (exact) {
      return mask;
    }
    return Layout.broadcastTo(mask.reshape(shape.inserting(shape.rank(), 1)), elements);
  }

  /** Zeroes masked elements and reduces. */
  static Var reduce(Var elements, Tensor fullMask, Reduction reduction) {
    // NOTE: where, not a product with the mask: a padded element that is Inf or NaN must not leak
    // into the loss or, as 0 * Inf, into the gradient.
    Var kept =
        fullMask == null
            ? elements
            : Var.where(fullMask, elements, Var.scalar(0, elements.dtype()));
    switch (reduction) {
      case NONE:
        return kept;
      case SUM:
        return kept.sum();
      case MEAN:
        int count = fullMask == null ? elements.value().size() : count(fullMask);
        return count == 0 ? kept.sum() : kept.sum().mul(1.0 / count);
    }
    throw new AssertionError(reduction);
  }

  private static int count(Tensor mask) {
    int count = 0;
    for (int i = 0; i < mask.size(); i++) {
      count += mask.getFlat(i) != 0 ? 1 : 0;
    }
    return count;
  }
}
