package dev.rewind.datasets;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * A batch of sequences whose target at each step is a class index, as for a character model
 * (predict the next character) or a per-step classifier.
 *
 * @param inputs {@code [batch, time, features]}, often one-hot
 * @param targets {@code [batch, time]} class indices; a padded step's target is 0 and masked out
 * @param mask {@code [batch, time]}, 1 for a real step and 0 for padding
 */
public record ClassBatch(Tensor inputs, Indices targets, Tensor mask) {

  public ClassBatch {
    Shape shape = inputs.shape();
    checkArgument(
        shape.rank() == 3,
        "class batch: inputs must be [batch, time, features] but have shape %s",
        shape);
    checkArgument(
        targets.rows() == shape.dim(0) && targets.columns() == shape.dim(1),
        "class batch: targets [%s, %s] must be [batch, time] for inputs %s",
        targets.rows(),
        targets.columns(),
        shape);
    checkArgument(
        mask.shape().equals(Shape.of(shape.dim(0), shape.dim(1))),
        "class batch: mask %s must be [batch, time] for inputs %s",
        mask.shape(),
        shape);
  }

  /** The targets as {@code int[batch][time]}, the form losses over class indices take. */
  public int[][] targetArray() {
    return targets.toArray();
  }

  /** The targets one-hot, {@code [batch, time, classes]}. */
  public Tensor oneHotTargets(int classes) {
    return OneHot.encode(targets, classes);
  }

  /** The number of sequences. */
  public int size() {
    return inputs.shape().dim(0);
  }

  /** The number of time steps, padding included. */
  public int steps() {
    return inputs.shape().dim(1);
  }
}
