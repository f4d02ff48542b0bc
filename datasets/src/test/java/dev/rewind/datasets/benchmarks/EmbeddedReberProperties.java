package dev.rewind.datasets.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.datasets.SequenceBatch;
import dev.rewind.datasets.batch.Masks;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class EmbeddedReberProperties {

  @Property(tries = 50)
  void everyEmbeddedStringIsAcceptedByTheGrammar(
      @ForAll long seed,
      @ForAll @IntRange(min = 9, max = 40) int minLength,
      @ForAll @IntRange(min = 0, max = 30) int extra) {
    EmbeddedReber task = new EmbeddedReber(minLength, minLength + extra);

    for (String text : task.strings(10, new Random(seed))) {
      assertTrue(Reber.embedded().accepts(text), text);
      assertTrue(ReberRegex.EMBEDDED.matcher(text).matches(), text);
      assertTrue(text.length() >= minLength && text.length() <= minLength + extra, text);
      assertEquals(text.charAt(1), text.charAt(text.length() - 2), text);
    }
  }

  @Property(tries = 50)
  void everyReberStringIsAcceptedByTheGrammar(
      @ForAll long seed, @ForAll @IntRange(min = 5, max = 40) int maxLength) {
    for (String text : Reber.grammar().sample(10, 5, maxLength, new Random(seed))) {
      assertTrue(Reber.grammar().accepts(text), text);
      assertTrue(ReberRegex.REBER.matcher(text).matches(), text);
    }
  }

  @Property(tries = 40)
  void targetsHoldTheSymbolThatActuallyComesNext(@ForAll long seed) {
    EmbeddedReber task = EmbeddedReber.upTo(30);
    List<String> strings = task.strings(6, new Random(seed));
    SequenceBatch batch = EmbeddedReber.encode(strings);

    int[] lengths = Masks.lengths(batch.mask());
    for (int b = 0; b < strings.size(); b++) {
      String text = strings.get(b);
      assertEquals(text.length() - 1, lengths[b]);
      for (int t = 0; t < lengths[b]; t++) {
        int read = Reber.ALPHABET.indexOf(text.charAt(t));
        int next = Reber.ALPHABET.indexOf(text.charAt(t + 1));
        assertEquals(1.0, batch.inputs().get(b, t, read), "input " + t + " of " + text);
        assertEquals(1.0, batch.targets().get(b, t, next), "target " + t + " of " + text);
      }
      // The long-range step: after the inner E exactly one symbol is valid, the second symbol.
      int last = lengths[b] - 2;
      double valid = 0;
      for (int c = 0; c < Reber.ALPHABET.length(); c++) {
        valid += batch.targets().get(b, last, c);
      }
      assertEquals(1.0, valid, text);
    }
  }
}
