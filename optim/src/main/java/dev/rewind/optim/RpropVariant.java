package dev.rewind.optim;

/**
 * The four published Rprop variants. All four adapt a per-weight step Δ the same way — grown by η+
 * while the gradient keeps its sign, shrunk by η− when it flips, kept within [Δmin, Δmax] — and
 * differ in what happens to the weight and to the remembered gradient when the sign flips.
 *
 * <pre>
 * variant   on a sign flip                                          otherwise
 * Rprop+    w ← w − Δw_prev (undo the last step); g_prev ← 0        w ← w − sign(g) Δ
 * Rprop−    w ← w − sign(g) Δ                                       w ← w − sign(g) Δ
 * iRprop+   w ← w − Δw_prev only if the loss grew; g_prev ← 0       w ← w − sign(g) Δ
 * iRprop−   w unchanged; g_prev ← 0                                 w ← w − sign(g) Δ
 * </pre>
 *
 * <p>Rprop+ is Riedmiller and Braun, "A direct adaptive method for faster backpropagation learning:
 * the RPROP algorithm" (ICNN 1993); Rprop− is the same without weight backtracking; iRprop+ and
 * iRprop− are Igel and Hüsken, "Improving the Rprop learning algorithm" (NC 2000). Setting g_prev
 * to 0 makes the next step neither grow nor shrink Δ. PyTorch's {@code torch.optim.Rprop} is {@link
 * #IRPROP_MINUS}.
 */
public enum RpropVariant {
  /** Rprop with weight backtracking: a sign flip undoes the previous weight change. */
  RPROP_PLUS("Rprop+") {
    @Override
    void apply(RpropElements e, int i, boolean signFlipped, boolean lossGrew) {
      if (signFlipped) {
        e.revert(i);
        e.forgetGradient(i);
      } else {
        e.moveAgainstGradient(i);
      }
    }
  },

  /** Rprop without weight backtracking: the weight always moves by −sign(g)·Δ. */
  RPROP_MINUS("Rprop-") {
    @Override
    void apply(RpropElements e, int i, boolean signFlipped, boolean lossGrew) {
      e.moveAgainstGradient(i);
    }
  },

  /**
   * Improved Rprop with backtracking: a sign flip undoes the previous change only if the loss grew.
   */
  IRPROP_PLUS("iRprop+") {
    @Override
    void apply(RpropElements e, int i, boolean signFlipped, boolean lossGrew) {
      if (signFlipped) {
        if (lossGrew) {
          e.revert(i);
        } else {
          e.hold(i);
        }
        e.forgetGradient(i);
      } else {
        e.moveAgainstGradient(i);
      }
    }
  },

  /** Improved Rprop without backtracking: a sign flip leaves the weight where it is. */
  IRPROP_MINUS("iRprop-") {
    @Override
    void apply(RpropElements e, int i, boolean signFlipped, boolean lossGrew) {
      if (signFlipped) {
        e.forgetGradient(i);
      } else {
        e.moveAgainstGradient(i);
      }
    }
  };

  private final String displayName;

  RpropVariant(String displayName) {
    this.displayName = displayName;
  }

  /**
   * Updates weight {@code i} after its step Δ was adapted.
   *
   * @param signFlipped whether this gradient and the remembered one have opposite signs
   * @param lossGrew whether the loss is above the previous step's; only iRprop+ reads it
   */
  abstract void apply(RpropElements e, int i, boolean signFlipped, boolean lossGrew);

  /** Whether the variant remembers each weight's last change, to undo it. */
  boolean backtracks() {
    return this == RPROP_PLUS || this == IRPROP_PLUS;
  }

  /** Whether the variant compares the loss between steps, and so needs it with the gradients. */
  boolean needsLoss() {
    return this == IRPROP_PLUS;
  }

  /** The name used in the literature: Rprop+, Rprop-, iRprop+ or iRprop-. */
  @Override
  public String toString() {
    return displayName;
  }
}
