package dev.rewind.datasets.batch;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.primitives.ImmutableIntArray;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * Sequences of different lengths padded to one length.
 *
 * @param values {@code [batch, maxTime, features]}, zero past each sequence's end
 * @param mask {@code [batch, maxTime]}: 1 where {@code t < lengths[b]}, else 0
 * @param lengths the length of each sequence before padding
 */
public record PaddedSequences(Tensor values, Tensor mask, ImmutableIntArray lengths) {

  public PaddedSequences {
    checkArgument(
        values.rank() == 3, "padded sequences: values must be rank 3, not %s", values.shape());
    int batch = values.shape().dim(0);
    int time = values.shape().dim(1);
    checkArgument(
        mask.shape().equals(Shape.of(batch, time)),
        "padded sequences: mask %s does not fit values %s",
        mask.shape(),
        values.shape());
    checkArgument(
        lengths.length() == batch,
        "padded sequences: %s lengths for a batch of %s",
        lengths.length(),
        batch);
  }

  /** The padded length: the longest sequence, or more if asked. */
  public int maxTime() {
    return values.shape().dim(1);
  }
}
