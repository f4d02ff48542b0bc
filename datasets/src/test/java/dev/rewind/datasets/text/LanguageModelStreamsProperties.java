package dev.rewind.datasets.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.datasets.ClassBatch;
import dev.rewind.datasets.OneHot;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class LanguageModelStreamsProperties {

  @Property(tries = 60)
  void lastTargetOfWindowKIsFirstInputOfWindowKPlusOneInEveryRow(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 6) int batch,
      @ForAll @IntRange(min = 1, max = 12) int window,
      @ForAll @IntRange(min = 0, max = 300) int extra) {
    Corpus corpus = randomCorpus(batch * (window + 1) + extra, seed);
    LanguageModelStreams streams =
        LanguageModelStreams.of(corpus, Vocabulary.of(corpus), batch, window);

    for (int k = 0; k + 1 < streams.windowCount(); k++) {
      TokenBatch current = streams.indices(k);
      TokenBatch next = streams.indices(k + 1);
      for (int b = 0; b < batch; b++) {
        assertEquals(
            current.targets().get(b, window - 1), next.inputs().get(b, 0), "row " + b + ", k " + k);
      }
    }
  }

  @Property(tries = 60)
  void targetsAreTheInputsShiftedByOne(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 6) int batch,
      @ForAll @IntRange(min = 1, max = 12) int window) {
    Corpus corpus = randomCorpus(batch * (window + 1) * 3, seed);
    LanguageModelStreams streams =
        LanguageModelStreams.of(corpus, Vocabulary.of(corpus), batch, window);

    for (TokenBatch tokens : streams.indexWindows()) {
      for (int b = 0; b < batch; b++) {
        for (int t = 0; t + 1 < window; t++) {
          assertEquals(tokens.inputs().get(b, t + 1), tokens.targets().get(b, t));
        }
      }
    }
  }

  /** Row b of the windows, read one after another, is the b-th contiguous piece of the corpus. */
  @Property(tries = 60)
  void eachRowReadsAContiguousPieceOfTheCorpus(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 6) int batch,
      @ForAll @IntRange(min = 1, max = 12) int window,
      @ForAll @IntRange(min = 0, max = 100) int extra) {
    Corpus corpus = randomCorpus(batch * (window + 1) + extra, seed);
    Vocabulary vocabulary = Vocabulary.of(corpus);
    int[] encoded = vocabulary.encode(corpus);
    LanguageModelStreams streams = LanguageModelStreams.of(corpus, vocabulary, batch, window);

    int length = corpus.length() / batch;
    assertEquals(length, streams.streamLength());
    assertEquals((length - 1) / window, streams.windowCount());
    for (int k = 0; k < streams.windowCount(); k++) {
      TokenBatch tokens = streams.indices(k);
      for (int b = 0; b < batch; b++) {
        for (int t = 0; t < window; t++) {
          int position = b * length + k * window + t;
          assertEquals(encoded[position], tokens.inputs().get(b, t));
          assertEquals(encoded[position + 1], tokens.targets().get(b, t));
        }
      }
    }
  }

  @Property(tries = 30)
  void oneHotWindowsEncodeTheIndexWindows(@ForAll long seed) {
    Corpus corpus = randomCorpus(200, seed);
    Vocabulary vocabulary = Vocabulary.of(corpus);
    LanguageModelStreams streams = LanguageModelStreams.of(corpus, vocabulary, 3, 7);

    for (int k = 0; k < streams.windowCount(); k++) {
      ClassBatch batch = streams.oneHot(k);
      TokenBatch tokens = streams.indices(k);
      assertEquals(OneHot.encode(tokens.inputs(), vocabulary.size()), batch.inputs());
      assertArrayEquals(tokens.targets().toArray(), batch.targetArray());
    }
  }

  private static Corpus randomCorpus(int length, long seed) {
    Random random = new Random(seed);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      text.append((char) ('a' + random.nextInt(26)));
    }
    return Corpus.of("random", text.toString());
  }
}
