package dev.rewind.datasets.tasks;

import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.Random;

/** Random bits, and bits as {@code [batch, time, 1]} tensors. */
final class Bits {
  private Bits() {}

  static int[] random(int length, Random random) {
    int[] bits = new int[length];
    for (int t = 0; t < length; t++) {
      bits[t] = random.nextInt(2);
    }
    return bits;
  }

  /** Rows of equal length as one feature per step: {@code [rows, time, 1]}. */
  static Tensor sequences(int[][] rows) {
    int time = rows.length == 0 ? 0 : rows[0].length;
    double[] values = new double[rows.length * time];
    for (int b = 0; b < rows.length; b++) {
      for (int t = 0; t < time; t++) {
        values[b * time + t] = rows[b][t];
      }
    }
    return Tensor.of(Shape.of(rows.length, time, 1), values);
  }

  /** One sequence as {@code [time, 1]}. */
  static Tensor column(int[] bits) {
    double[] values = new double[bits.length];
    for (int t = 0; t < bits.length; t++) {
      values[t] = bits[t];
    }
    return Tensor.of(Shape.of(bits.length, 1), values);
  }

  /** Parses a string of '0' and '1'. */
  static int[] parse(String bits) {
    int[] values = new int[bits.length()];
    for (int i = 0; i < bits.length(); i++) {
      char c = bits.charAt(i);
      if (c != '0' && c != '1') {
        throw new IllegalArgumentException(
            String.format("bits: '%s' at position %s of \"%s\" is not 0 or 1", c, i, bits));
      }
      values[i] = c - '0';
    }
    return values;
  }

  static String format(int[] bits) {
    StringBuilder text = new StringBuilder(bits.length);
    for (int bit : bits) {
      text.append(bit);
    }
    return text.toString();
  }
}
