package dev.rewind.autodiff.tape;

import dev.rewind.autodiff.tensor.GradientSum;
import dev.rewind.autodiff.tensor.Tensor;

/** The checks of anomaly mode: the first non-finite value, forward or backward, is an error. */
final class Anomalies {
  private Anomalies() {}

  static void checkForward(Op op) {
    Var[] outputs = op.outputs();
    for (int k = 0; k < outputs.length; k++) {
      Tensor value = outputs[k].value();
      if (!value.isFinite()) {
        throw new AnomalyException(
            String.format(
                "anomaly: %s produced %s in %s; input shapes %s; built at %s",
                op.name(),
                kind(value),
                outputs.length == 1 ? "its output" : "its output " + k,
                op.inputShapes(),
                op.whereBuilt()));
      }
    }
  }

  static void checkBackward(Op op, Var[] gradients) {
    for (int i = 0; i < gradients.length; i++) {
      if (gradients[i] != null && !gradients[i].value().isFinite()) {
        throw new AnomalyException(
            String.format(
                "anomaly: the backward pass of %s produced %s in the gradient of input %s;"
                    + " input shapes %s; built at %s",
                op.name(), kind(gradients[i].value()), i, op.inputShapes(), op.whereBuilt()));
      }
    }
  }

  /**
   * Throws if {@code sum}, into which {@code op} has just added the gradient of its input {@code
   * index}, is no longer finite: the anomaly check of a gradient that was never a tensor of its
   * own.
   */
  static void checkAccumulated(Op op, int index, GradientSum sum) {
    if (!sum.isFinite()) {
      throw new AnomalyException(
          String.format(
              "anomaly: the backward pass of %s produced %s in the gradient of input %s;"
                  + " input shapes %s; built at %s",
              op.name(),
              sum.containsNaN() ? "NaN" : "Inf",
              index,
              op.inputShapes(),
              op.whereBuilt()));
    }
  }

  private static String kind(Tensor value) {
    for (int i = 0; i < value.size(); i++) {
      if (Double.isNaN(value.getFlat(i))) {
        return "NaN";
      }
    }
    return "Inf";
  }
}
