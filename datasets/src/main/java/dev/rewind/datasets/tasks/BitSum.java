package dev.rewind.datasets.tasks;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.datasets.SequenceBatch;
import dev.rewind.datasets.Task;
import dev.rewind.datasets.batch.Masks;
import java.util.Random;

/**
 * Note 003's bit-sum example: a sequence of bits {@code x_1 … x_T} (the notes take T = 8) whose
 * target is {@code y = Σ x_t}. A linear scalar recurrence {@code f_t = f_{t−1} v_f + x_t v_x}
 * solves it with {@code v_f = v_x = 1}, and the notes derive its gradients in closed form.
 *
 * <p>Inputs are {@code [batch, length, 1]} bits, targets {@code [batch, 1]} sums: one output per
 * sequence, read after the last step.
 *
 * @param length the number of bits, 8 in the notes
 */
public record BitSum(int length) implements Task<SequenceBatch> {
  /** The notes' eight bits. */
  public static final BitSum EIGHT_BITS = new BitSum(8);

  public BitSum {
    checkArgument(length >= 1, "bit sum: length must be at least 1, not %s", length);
  }

  /** The target of one sequence: the number of 1s. */
  public static int sum(int[] bits) {
    int sum = 0;
    for (int bit : bits) {
      sum += bit;
    }
    return sum;
  }

  @Override
  public SequenceBatch generate(int sequences, Random random) {
    checkArgument(sequences >= 1, "bit sum: at least one sequence, not %s", sequences);
    int[][] bits = new int[sequences][];
    double[] sums = new double[sequences];
    for (int b = 0; b < sequences; b++) {
      bits[b] = Bits.random(length, random);
      sums[b] = sum(bits[b]);
    }
    return new SequenceBatch(
        Bits.sequences(bits),
        Tensor.of(Shape.of(sequences, 1), sums),
        Masks.full(sequences, length));
  }
}
