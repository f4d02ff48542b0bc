package dev.rewind.datasets.benchmarks;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.datasets.OneHot;
import dev.rewind.datasets.SequenceBatch;
import dev.rewind.datasets.Task;
import dev.rewind.datasets.batch.Padding;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Next-symbol prediction on the embedded Reber grammar, as in Hochreiter &amp; Schmidhuber 1997:
 * the input at step t is symbol t of a string, one-hot over {@link Reber#ALPHABET}, and the target
 * is the set of symbols that may come next, multi-hot. A string of n symbols gives n − 1 steps (the
 * final E has no successor); strings of different lengths are padded, with a mask. The hard step is
 * the last but one target: the symbol after the inner string's E must equal the second symbol.
 *
 * <p>Strings are drawn by {@link Grammar#sample}, which keeps every branch a fair coin unless the
 * length bounds force a choice; raise {@code minLength} to lengthen the dependency. The shortest
 * embedded Reber string has 9 symbols.
 *
 * @param minLength the shortest string, in symbols
 * @param maxLength the longest string, in symbols, at least 9
 */
public record EmbeddedReber(int minLength, int maxLength) implements Task<SequenceBatch> {
  /** The shortest string of the embedded grammar, such as BTBTXSETE. */
  public static final int SHORTEST = 9;

  public EmbeddedReber {
    checkArgument(
        minLength <= maxLength && maxLength >= SHORTEST,
        "embedded Reber: lengths [%s, %s] hold no string; the shortest has %s symbols",
        minLength,
        maxLength,
        SHORTEST);
  }

  /** Strings up to {@code maxLength} symbols, with no lower bound beyond the grammar's own. */
  public static EmbeddedReber upTo(int maxLength) {
    return new EmbeddedReber(SHORTEST, maxLength);
  }

  /** Draws {@code count} strings. */
  public List<String> strings(int count, Random random) {
    return Reber.embedded().sample(count, minLength, maxLength, random);
  }

  @Override
  public SequenceBatch generate(int sequences, Random random) {
    checkArgument(sequences >= 1, "embedded Reber: at least one sequence, not %s", sequences);
    return encode(strings(sequences, random));
  }

  /** Encodes strings of the embedded grammar as a padded batch of next-symbol predictions. */
  public static SequenceBatch encode(List<String> strings) {
    Grammar grammar = Reber.embedded();
    int symbols = grammar.alphabet().length();
    List<Tensor> inputs = new ArrayList<>();
    List<Tensor> targets = new ArrayList<>();
    for (String text : strings) {
      List<String> next = grammar.validNextSymbols(text);
      int steps = text.length() - 1;
      int[] read = new int[steps];
      double[] valid = new double[steps * symbols];
      for (int t = 0; t < steps; t++) {
        read[t] = grammar.index(text.charAt(t));
        for (char symbol : next.get(t).toCharArray()) {
          valid[t * symbols + grammar.index(symbol)] = 1.0;
        }
      }
      inputs.add(OneHot.encode(read, symbols));
      targets.add(Tensor.of(Shape.of(steps, symbols), valid));
    }
    return Padding.batch(inputs, targets);
  }
}
