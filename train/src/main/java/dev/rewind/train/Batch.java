package dev.rewind.train;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * One batch of sequences for a training step: the inputs ({@code [batch, time, features]}, or
 * {@code [batch, time]} token indices stored as doubles), the targets, a mask {@code [batch, time]}
 * of 1 (real step) and 0 (padding) or null, and whether the sequences continue those of the
 * previous batch (the state carried from it flows in) or start afresh (from the initial state).
 *
 * @param inputs {@code [batch, time, ...]}
 * @param targets whatever the step function compares with: {@code [batch, time, ...]} per step, or
 *     {@code [batch, ...]} per sequence
 * @param mask {@code [batch, time]}, or null when every step is real
 * @param continues whether these sequences continue the previous batch's
 */
public record Batch(Tensor inputs, Tensor targets, Tensor mask, boolean continues) {

  public Batch {
    checkArgument(inputs != null, "batch: the inputs are null");
    checkArgument(targets != null, "batch: the targets are null");
    checkArgument(
        inputs.rank() >= 2 && inputs.shape().dim(1) >= 1,
        "batch: inputs must be [batch, time, ...] with at least one step, but have shape %s",
        inputs.shape());
    checkArgument(
        targets.rank() >= 1 && targets.shape().dim(0) == inputs.shape().dim(0),
        "batch: targets %s do not have the inputs' %s sequences (inputs %s)",
        targets.shape(),
        inputs.shape().dim(0),
        inputs.shape());
    checkArgument(
        mask == null || mask.shape().equals(Shape.of(inputs.shape().dim(0), inputs.shape().dim(1))),
        "batch: mask %s does not fit inputs %s: expected [%s, %s]",
        mask == null ? null : mask.shape(),
        inputs.shape(),
        inputs.shape().dim(0),
        inputs.shape().dim(1));
  }

  /** New sequences, every step real. */
  public static Batch of(Tensor inputs, Tensor targets) {
    return new Batch(inputs, targets, null, false);
  }

  /** New sequences, padded where {@code mask} is 0. */
  public static Batch masked(Tensor inputs, Tensor targets, Tensor mask) {
    return new Batch(inputs, targets, mask, false);
  }

  /**
   * This batch with its inputs and targets in {@code dtype} (the mask is read as zero or not in
   * either): what the trainer does for a float32 model. Token indices stored as doubles stay exact
   * in float32 below 2^24. Itself when both already have that dtype.
   */
  public Batch to(DType dtype) {
    if (inputs.dtype() == dtype && targets.dtype() == dtype) {
      return this;
    }
    return new Batch(inputs.to(dtype), targets.to(dtype), mask, continues);
  }

  /** This batch continuing the previous batch's sequences. */
  public Batch continuing() {
    return new Batch(inputs, targets, mask, true);
  }

  /** The number of sequences. */
  public int size() {
    return inputs.shape().dim(0);
  }

  /** The number of time steps. */
  public int length() {
    return inputs.shape().dim(1);
  }

  /**
   * Steps {@code [start, end)} of this batch: the inputs, the targets and the mask sliced on their
   * time axis, continuing the sequences unless this is the first window of a batch that starts
   * them.
   *
   * @throws IllegalArgumentException if the targets have no time axis of this batch's length
   */
  public Batch window(int start, int end) {
    checkArgument(
        0 <= start && start < end && end <= length(),
        "batch: window [%s, %s) is not inside the %s steps of inputs %s",
        start,
        end,
        length(),
        inputs.shape());
    checkArgument(
        targets.rank() >= 2 && targets.shape().dim(1) == length(),
        "batch: targets %s have no time axis of the inputs' %s steps (inputs %s), so they cannot"
            + " be cut into windows; truncate only per-step targets",
        targets.shape(),
        length(),
        inputs.shape());
    return sliced(1, start, end, continues || start > 0);
  }

  /**
   * Sequences {@code [from, to)} of this batch: the rows of the inputs, the targets and the mask,
   * continuing as this batch does. The shard of a data-parallel step ({@link BatchShards}).
   */
  public Batch rows(int from, int to) {
    checkArgument(
        0 <= from && from < to && to <= size(),
        "batch: rows [%s, %s) are not inside the %s sequences of inputs %s",
        from,
        to,
        size(),
        inputs.shape());
    return sliced(0, from, to, continues);
  }

  /** The inputs, the targets and the mask, each sliced to {@code [from, to)} along {@code axis}. */
  private Batch sliced(int axis, int from, int to, boolean continues) {
    return new Batch(
        Layout.slice(inputs, axis, from, to),
        Layout.slice(targets, axis, from, to),
        mask == null ? null : Layout.slice(mask, axis, from, to),
        continues);
  }

  /**
   * A batch of index sequences, {@code [batch][time]} tokens or classes each, without a mask: the
   * window of a text for an embedding, say; {@code continues} if it carries on the previous batch's
   * sequences.
   */
  public static Batch ofIndices(int[][] inputs, int[][] targets, boolean continues) {
    return new Batch(indexTensor(inputs), indexTensor(targets), null, continues);
  }

  /**
   * Indices {@code [batch][time]} (tokens, classes) as a tensor {@code [batch, time]} of doubles,
   * the form a batch holds them in; {@link #inputIndices} and {@link #targetIndices} read them
   * back.
   */
  public static Tensor indexTensor(int[][] indices) {
    checkArgument(indices.length >= 1, "batch: no rows of indices");
    int columns = indices[0].length;
    double[] values = new double[indices.length * columns];
    for (int row = 0; row < indices.length; row++) {
      checkArgument(
          indices[row].length == columns,
          "batch: index row %s has %s columns, row 0 has %s",
          row,
          indices[row].length,
          columns);
      for (int column = 0; column < columns; column++) {
        values[row * columns + column] = indices[row][column];
      }
    }
    return Tensor.of(Shape.of(indices.length, columns), values);
  }

  /** The inputs as token indices {@code [batch][time]}, for inputs {@code [batch, time]}. */
  public int[][] inputIndices() {
    return indices("inputs", inputs);
  }

  /** The targets as class indices {@code [batch][time]}, for targets {@code [batch, time]}. */
  public int[][] targetIndices() {
    return indices("targets", targets);
  }

  private static int[][] indices(String role, Tensor tensor) {
    checkArgument(
        tensor.rank() == 2, "batch: %s %s are not indices [batch, time]", role, tensor.shape());
    int rows = tensor.shape().dim(0);
    int columns = tensor.shape().dim(1);
    int[][] indices = new int[rows][columns];
    for (int row = 0; row < rows; row++) {
      for (int column = 0; column < columns; column++) {
        double value = tensor.getFlat(row * columns + column);
        checkArgument(
            value == Math.rint(value) && Math.abs(value) <= Integer.MAX_VALUE,
            "batch: %s [%s, %s] = %s is not an index",
            role,
            row,
            column,
            value);
        indices[row][column] = (int) value;
      }
    }
    return indices;
  }
}
