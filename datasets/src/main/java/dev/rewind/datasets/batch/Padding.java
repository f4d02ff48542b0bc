package dev.rewind.datasets.batch;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.primitives.ImmutableIntArray;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.datasets.Indices;
import dev.rewind.datasets.SequenceBatch;
import java.util.Arrays;
import java.util.List;

/**
 * Pads sequences of different lengths at the end, so that a batch of them is one tensor: sequence
 * {@code b} of shape {@code [T_b, features]} becomes row {@code b} of {@code [batch, maxTime,
 * features]}, zero past {@code T_b}, with a mask marking its real steps.
 */
public final class Padding {
  private Padding() {}

  /** Pads to the longest sequence. */
  public static PaddedSequences pad(List<Tensor> sequences) {
    return pad(sequences, longest(sequences));
  }

  /** Pads to {@code time} steps, which must be at least the longest sequence. */
  public static PaddedSequences pad(List<Tensor> sequences, int time) {
    checkArgument(!sequences.isEmpty(), "padding: no sequences");
    Shape first = sequences.get(0).shape();
    checkArgument(
        first.rank() == 2,
        "padding: sequence 0 has shape %s; each must be [time, features]",
        first);
    int features = first.dim(1);
    int[] lengths = new int[sequences.size()];
    double[] values = new double[sequences.size() * time * features];
    for (int b = 0; b < sequences.size(); b++) {
      Tensor sequence = sequences.get(b);
      checkArgument(
          sequence.rank() == 2 && sequence.shape().dim(1) == features,
          "padding: sequence %s has shape %s but sequence 0 has %s; each must be [time, %s]",
          b,
          sequence.shape(),
          first,
          features);
      lengths[b] = sequence.shape().dim(0);
      checkArgument(
          lengths[b] <= time,
          "padding: sequence %s has %s steps, more than the padded length %s",
          b,
          lengths[b],
          time);
      System.arraycopy(sequence.toArray(), 0, values, b * time * features, lengths[b] * features);
    }
    return new PaddedSequences(
        Tensor.of(Shape.of(sequences.size(), time, features), values),
        Masks.ofLengths(lengths, time),
        ImmutableIntArray.copyOf(lengths));
  }

  /**
   * Pads inputs and per-step targets together into a batch: sequence {@code b}'s inputs {@code
   * [T_b, features]} and targets {@code [T_b, outputs]} must have the same length.
   */
  public static SequenceBatch batch(List<Tensor> inputs, List<Tensor> targets) {
    checkArgument(
        inputs.size() == targets.size(),
        "padding: %s input sequences but %s target sequences",
        inputs.size(),
        targets.size());
    for (int b = 0; b < inputs.size(); b++) {
      checkArgument(
          targets.get(b).rank() == 2
              && targets.get(b).shape().dim(0) == inputs.get(b).shape().dim(0),
          "padding: sequence %s has inputs %s but targets %s; both must have the same steps",
          b,
          inputs.get(b).shape(),
          targets.get(b).shape());
    }
    PaddedSequences paddedInputs = pad(inputs);
    PaddedSequences paddedTargets = pad(targets, paddedInputs.maxTime());
    return new SequenceBatch(paddedInputs.values(), paddedTargets.values(), paddedInputs.mask());
  }

  /**
   * Pads index sequences, such as per-step class targets, to {@code time} columns with {@code
   * fill}.
   */
  public static Indices padIndices(List<int[]> sequences, int time, int fill) {
    int[][] grid = new int[sequences.size()][time];
    for (int b = 0; b < sequences.size(); b++) {
      int[] sequence = sequences.get(b);
      checkArgument(
          sequence.length <= time,
          "padding: index sequence %s has %s steps, more than the padded length %s",
          b,
          sequence.length,
          time);
      Arrays.fill(grid[b], fill);
      System.arraycopy(sequence, 0, grid[b], 0, sequence.length);
    }
    return Indices.of(grid);
  }

  /** The most steps of any sequence; a sequence of the wrong rank is reported by the padding. */
  private static int longest(List<Tensor> sequences) {
    int longest = 0;
    for (Tensor sequence : sequences) {
      longest = Math.max(longest, sequence.rank() == 0 ? 0 : sequence.shape().dim(0));
    }
    return longest;
  }
}
