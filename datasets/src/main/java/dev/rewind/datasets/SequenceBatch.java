package dev.rewind.datasets;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * A batch of sequences with tensor targets: bits, sums, next values, or sets of valid next symbols
 * (multi-hot).
 *
 * @param inputs {@code [batch, time, features]}
 * @param targets {@code [batch, ...]}: {@code [batch, time, outputs]} for an output at every step,
 *     {@code [batch, outputs]} for one output per sequence
 * @param mask {@code [batch, time]}, 1 for a real step and 0 for padding
 */
public record SequenceBatch(Tensor inputs, Tensor targets, Tensor mask) {

  public SequenceBatch {
    Shape shape = inputs.shape();
    checkArgument(
        shape.rank() == 3,
        "sequence batch: inputs must be [batch, time, features] but have shape %s",
        shape);
    checkArgument(
        targets.rank() >= 2 && targets.shape().dim(0) == shape.dim(0),
        "sequence batch: targets %s must be [batch, ...] for inputs %s",
        targets.shape(),
        shape);
    checkArgument(
        mask.shape().equals(Shape.of(shape.dim(0), shape.dim(1))),
        "sequence batch: mask %s must be [batch, time] for inputs %s",
        mask.shape(),
        shape);
  }

  /** The number of sequences. */
  public int size() {
    return inputs.shape().dim(0);
  }

  /** The number of time steps, padding included. */
  public int steps() {
    return inputs.shape().dim(1);
  }

  /** The number of input features at each step. */
  public int features() {
    return inputs.shape().dim(2);
  }
}
