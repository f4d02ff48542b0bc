package dev.rewind.datasets.benchmarks;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.datasets.ClassBatch;
import dev.rewind.datasets.Indices;
import dev.rewind.datasets.OneHot;
import dev.rewind.datasets.Task;
import dev.rewind.datasets.batch.Masks;
import java.util.Arrays;
import java.util.Random;

/**
 * The copy (memory) task (Hochreiter &amp; Schmidhuber 1997; in the form of Arjovsky et al. 2016):
 * read {@code length} random symbols, then wait through a delay of blanks ended by a delimiter,
 * then write the symbols back in order. Over {@code 2·length + delay} steps:
 *
 * <pre>
 *   input : s_1 … s_L   blank × (delay − 1)   delimiter   blank × L
 *   target: blank × (L + delay)                            s_1 … s_L
 * </pre>
 *
 * Symbols are indices {@code 0 … symbols − 1}, the blank is {@code symbols} and the delimiter
 * {@code symbols + 1}. Inputs are one-hot over {@code symbols + 2}; targets are class indices over
 * {@code symbols + 1} (the delimiter is never a target). The mask covers every step, as in the
 * benchmark; the answer starts at step {@link #answerStart}. Predicting blanks and then random
 * symbols gives a cross-entropy of {@code L·ln(symbols) / (2L + delay)}, the baseline to beat.
 *
 * @param symbols the alphabet size, 8 in the benchmark
 * @param length how many symbols to copy, 10 in the benchmark
 * @param delay the steps from the last symbol read to the first written, at least 1
 */
public record CopyTask(int symbols, int length, int delay) implements Task<ClassBatch> {

  public CopyTask {
    checkArgument(
        symbols >= 1 && length >= 1 && delay >= 1,
        "copy task: symbols %s, length %s and delay %s must all be at least 1",
        symbols,
        length,
        delay);
  }

  /** The benchmark's usual form: 8 symbols, 10 to copy, and the given delay. */
  public static CopyTask withDelay(int delay) {
    return new CopyTask(8, 10, delay);
  }

  /** The index of the blank. */
  public int blank() {
    return symbols;
  }

  /** The index of the delimiter. */
  public int delimiter() {
    return symbols + 1;
  }

  /** The one-hot width of an input: the symbols, the blank and the delimiter. */
  public int inputClasses() {
    return symbols + 2;
  }

  /** The number of output classes: the symbols and the blank. */
  public int outputClasses() {
    return symbols + 1;
  }

  /** The number of steps, {@code 2·length + delay}. */
  public int steps() {
    return 2 * length + delay;
  }

  /** The first step whose target is a copied symbol, {@code length + delay}. */
  public int answerStart() {
    return length + delay;
  }

  @Override
  public ClassBatch generate(int sequences, Random random) {
    checkArgument(sequences >= 1, "copy task: at least one sequence, not %s", sequences);
    int[][] inputs = new int[sequences][steps()];
    int[][] targets = new int[sequences][steps()];
    for (int b = 0; b < sequences; b++) {
      Arrays.fill(inputs[b], blank());
      Arrays.fill(targets[b], blank());
      for (int i = 0; i < length; i++) {
        int symbol = random.nextInt(symbols);
        inputs[b][i] = symbol;
        targets[b][answerStart() + i] = symbol;
      }
      inputs[b][answerStart() - 1] = delimiter();
    }
    return new ClassBatch(
        OneHot.encode(inputs, inputClasses()), Indices.of(targets), Masks.full(sequences, steps()));
  }
}
