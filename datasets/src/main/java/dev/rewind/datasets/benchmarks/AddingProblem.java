package dev.rewind.datasets.benchmarks;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.datasets.SequenceBatch;
import dev.rewind.datasets.Task;
import dev.rewind.datasets.batch.Masks;
import java.util.Random;

/**
 * The adding problem (Hochreiter &amp; Schmidhuber 1997, in the form of Le et al. 2015): each step
 * has two inputs, a value uniform in [0, 1) and a marker that is 1 at exactly two steps and 0
 * elsewhere; the target, read after the last step, is the sum of the two marked values. One marker
 * falls in the first half of the sequence and one in the second, so the first must be remembered
 * across at least {@code length / 2} steps. Always predicting 1 gives a mean squared error of about
 * 0.167, the baseline to beat.
 *
 * <p>Inputs are {@code [batch, length, 2]} (channel 0 the values, channel 1 the markers), targets
 * {@code [batch, 1]}. For each sequence the values are drawn first, then the two marker positions.
 *
 * @param length the number of steps, at least 2
 */
public record AddingProblem(int length) implements Task<SequenceBatch> {
  /** The channel of the values. */
  public static final int VALUE = 0;

  /** The channel of the markers. */
  public static final int MARKER = 1;

  public AddingProblem {
    checkArgument(length >= 2, "adding problem: length must be at least 2, not %s", length);
  }

  @Override
  public SequenceBatch generate(int sequences, Random random) {
    checkArgument(sequences >= 1, "adding problem: at least one sequence, not %s", sequences);
    double[] inputs = new double[sequences * length * 2];
    double[] sums = new double[sequences];
    int half = length / 2;
    for (int b = 0; b < sequences; b++) {
      int row = b * length * 2;
      for (int t = 0; t < length; t++) {
        inputs[row + 2 * t + VALUE] = random.nextDouble();
      }
      int first = random.nextInt(half);
      int second = half + random.nextInt(length - half);
      inputs[row + 2 * first + MARKER] = 1.0;
      inputs[row + 2 * second + MARKER] = 1.0;
      sums[b] = inputs[row + 2 * first + VALUE] + inputs[row + 2 * second + VALUE];
    }
    return new SequenceBatch(
        Tensor.of(Shape.of(sequences, length, 2), inputs),
        Tensor.of(Shape.of(sequences, 1), sums),
        Masks.full(sequences, length));
  }
}
