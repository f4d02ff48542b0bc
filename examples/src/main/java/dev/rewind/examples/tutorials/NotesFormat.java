package dev.rewind.examples.tutorials;

import java.util.Locale;

/** How the notes' tutorials print vectors: fixed decimals, signs aligned. */
final class NotesFormat {
  private NotesFormat() {}

  /** {@code ( 0.20, 0.72, -1.00)} with {@code decimals} decimals, signs aligned. */
  static String vector(double[] values, int decimals) {
    StringBuilder text = new StringBuilder("(");
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        text.append(", ");
      }
      // NOTE: adding 0.0 turns -0.0 into 0.0, so an exact zero prints as 0.00, never as -0.00.
      text.append(
          String.format(Locale.ROOT, "%" + (decimals + 3) + "." + decimals + "f", values[i] + 0.0));
    }
    return text.append(')').toString();
  }

  /** {@code vector(values, decimals)} padded on the right to {@code width} characters. */
  static String padded(double[] values, int decimals, int width) {
    return String.format(Locale.ROOT, "%-" + width + "s", vector(values, decimals));
  }
}
