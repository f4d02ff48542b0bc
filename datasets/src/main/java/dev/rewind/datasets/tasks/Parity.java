package dev.rewind.datasets.tasks;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.datasets.SequenceBatch;
import dev.rewind.datasets.Task;
import dev.rewind.datasets.batch.Padding;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Note 001's parity task: read a bit string and "output YES if the number of 1s is even, else NO" —
 * after every bit, so the target at step t is 1 (YES) when bits 1 … t hold an even number of 1s and
 * 0 (NO) when they hold an odd number. The notes' examples: 1000010101 ends in YES, 100011 in NO.
 * No fixed window can solve it, since a longer string can always come; that is why lengths may vary
 * within a batch (padded, with a mask).
 *
 * <p>Inputs are {@code [batch, maxLength, 1]} bits, targets {@code [batch, maxLength, 1]} labels.
 * For each sequence the length (if {@code minLength < maxLength}) is drawn first, then the bits.
 *
 * @param minLength the shortest sequence, at least 1
 * @param maxLength the longest sequence
 */
public record Parity(int minLength, int maxLength) implements Task<SequenceBatch> {

  public Parity {
    checkArgument(
        minLength >= 1 && minLength <= maxLength,
        "parity: lengths must satisfy 1 <= minLength <= maxLength, not [%s, %s]",
        minLength,
        maxLength);
  }

  /** Sequences of exactly {@code length} bits. */
  public static Parity ofLength(int length) {
    return new Parity(length, length);
  }

  /** The label after each bit: 1 while the count of 1s so far is even, else 0. */
  public static int[] labels(int[] bits) {
    int[] labels = new int[bits.length];
    int ones = 0;
    for (int t = 0; t < bits.length; t++) {
      ones += bits[t];
      labels[t] = ones % 2 == 0 ? 1 : 0;
    }
    return labels;
  }

  /** The labels of a string of '0' and '1', as a string: {@code "100011"} gives "000010". */
  public static String labels(String bits) {
    return Bits.format(labels(Bits.parse(bits)));
  }

  @Override
  public SequenceBatch generate(int sequences, Random random) {
    checkArgument(sequences >= 1, "parity: at least one sequence, not %s", sequences);
    List<Tensor> inputs = new ArrayList<>();
    List<Tensor> targets = new ArrayList<>();
    for (int b = 0; b < sequences; b++) {
      int length =
          minLength == maxLength
              ? minLength
              : minLength + random.nextInt(maxLength - minLength + 1);
      int[] bits = Bits.random(length, random);
      inputs.add(Bits.column(bits));
      targets.add(Bits.column(labels(bits)));
    }
    return Padding.batch(inputs, targets);
  }
}
