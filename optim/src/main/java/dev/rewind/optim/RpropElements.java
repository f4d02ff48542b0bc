package dev.rewind.optim;

/**
 * The arrays one Rprop step works on for one parameter, and the moves a variant can make on element
 * {@code i}. The step and last-change arrays are the optimizer's slots and the gradient array is
 * the remembered gradient's slot, all updated in place; the weight array is the parameter's next
 * value, which starts as its current value.
 */
final class RpropElements {
  final double[] weight;

  /** This step's gradient once element {@code i} is reached; what Rprop remembers for the next. */
  final double[] gradient;

  final double[] step;

  /** The last change of each weight; null for the variants that never undo one. */
  final double[] lastChange;

  RpropElements(double[] weight, double[] gradient, double[] step, double[] lastChange) {
    this.weight = weight;
    this.gradient = gradient;
    this.step = step;
    this.lastChange = lastChange;
  }

  /** w ← w − sign(g)·Δ, remembering the change. */
  void moveAgainstGradient(int i) {
    double change = -Math.signum(gradient[i]) * step[i];
    weight[i] = weight[i] + change;
    if (lastChange != null) {
      lastChange[i] = change;
    }
  }

  /** w ← w − Δw_prev: undoes the last change, and remembers the undoing as the change. */
  void revert(int i) {
    weight[i] = weight[i] - lastChange[i];
    lastChange[i] = -lastChange[i];
  }

  /** Leaves the weight, remembering a change of 0. */
  void hold(int i) {
    lastChange[i] = 0;
  }

  /** Remembers a gradient of 0, so that the next step neither grows nor shrinks Δ. */
  void forgetGradient(int i) {
    gradient[i] = 0;
  }
}
