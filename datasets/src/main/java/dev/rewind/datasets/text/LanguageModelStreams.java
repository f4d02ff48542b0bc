package dev.rewind.datasets.text;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;

import dev.rewind.datasets.ClassBatch;
import dev.rewind.datasets.DatasetException;
import dev.rewind.datasets.Indices;
import dev.rewind.datasets.OneHot;
import dev.rewind.datasets.batch.Masks;
import java.util.AbstractList;
import java.util.List;
import java.util.Locale;

/**
 * A corpus laid out for training a character model with truncated BPTT. The encoded text is cut
 * into {@code batch} contiguous streams of equal length (any remainder at the end is dropped), and
 * each stream into windows of {@code window} characters:
 *
 * <pre>
 *   stream b        = text[b·L, (b + 1)·L),           L = ⌊N / batch⌋
 *   window k, row b : inputs  = stream b [k·W,     k·W + W)
 *                     targets = stream b [k·W + 1, k·W + W + 1)
 * </pre>
 *
 * Row b of window k + 1 continues row b of window k: the last target of one is the first input of
 * the next, so the hidden state at the end of a window is the right initial state for the next one
 * (detach it between windows). There are {@code ⌊(L − 1) / W⌋} windows; the rest of each stream is
 * dropped.
 */
public final class LanguageModelStreams {
  private final String name;
  // Stream b is tokens[offset + b·L, offset + (b + 1)·L): 16-bit indices, often the corpus's own.
  private final char[] tokens;
  private final int offset;
  private final int batch;
  private final int streamLength;
  private final int vocabularySize;
  private final int window;
  private final int windowCount;

  private LanguageModelStreams(
      String name,
      char[] tokens,
      int offset,
      int batch,
      int streamLength,
      int vocabularySize,
      int window) {
    this.name = name;
    this.tokens = tokens;
    this.offset = offset;
    this.batch = batch;
    this.streamLength = streamLength;
    this.vocabularySize = vocabularySize;
    this.window = window;
    this.windowCount = (streamLength - 1) / window;
  }

  /**
   * Lays out {@code corpus}, encoded with {@code vocabulary}, as {@code batch} streams read {@code
   * window} characters at a time.
   *
   * @throws DatasetException naming the corpus and the numbers if the corpus is too short for a
   *     window of that length with that batch, or if it holds a character outside the vocabulary
   */
  public static LanguageModelStreams of(
      Corpus corpus, Vocabulary vocabulary, int batch, int window) {
    checkArgument(batch >= 1, "%s: batch must be at least 1, not %s", corpus.name(), batch);
    checkArgument(window >= 1, "%s: window must be at least 1, not %s", corpus.name(), window);
    long needed = (long) batch * (window + 1);
    if (corpus.length() < needed) {
      String reason =
          window > corpus.length()
              ? "the window is longer than the corpus"
              : window == corpus.length()
                  ? "the window is as long as the corpus, leaving no character for its last target"
                  : "needs at least " + Messages.number(needed) + ", batch × (window + 1)";
      throw new DatasetException(
          String.format(
              Locale.ROOT,
              "%s: %s, too short for a window of %s with batch %s: %s",
              corpus.name(),
              Messages.count(corpus.length(), "character"),
              Messages.number(window),
              Messages.number(batch),
              reason));
    }
    // NOTE: no copy when the vocabulary is the text's own: the streams read the corpus's array.
    Corpus.Encoded encoded = corpus.encode(vocabulary);
    return new LanguageModelStreams(
        corpus.name(),
        encoded.tokens(),
        encoded.offset(),
        batch,
        encoded.length() / batch,
        vocabulary.size(),
        window);
  }

  public String name() {
    return name;
  }

  public int batch() {
    return batch;
  }

  public int window() {
    return window;
  }

  /** The number of whole windows in each stream. */
  public int windowCount() {
    return windowCount;
  }

  /** The length of each stream, {@code ⌊N / batch⌋}. */
  public int streamLength() {
    return streamLength;
  }

  /** Window {@code k} as indices: inputs and next-character targets, {@code [batch, window]}. */
  public TokenBatch indices(int k) {
    checkElementIndex(k, windowCount, name + ": window");
    int[][] inputs = new int[batch][window];
    int[][] targets = new int[batch][window];
    for (int b = 0; b < batch; b++) {
      int start = offset + b * streamLength + k * window;
      for (int t = 0; t < window; t++) {
        inputs[b][t] = tokens[start + t];
        targets[b][t] = tokens[start + t + 1];
      }
    }
    return new TokenBatch(Indices.of(inputs), Indices.of(targets));
  }

  /**
   * Window {@code k} with one-hot inputs {@code [batch, window, vocabulary]}, class-index targets
   * and a mask of ones.
   */
  public ClassBatch oneHot(int k) {
    TokenBatch tokens = indices(k);
    return new ClassBatch(
        OneHot.encode(tokens.inputs(), vocabularySize),
        tokens.targets(),
        Masks.full(batch, window));
  }

  /** Every window as indices, in order. */
  public List<TokenBatch> indexWindows() {
    return new AbstractList<>() {
      @Override
      public TokenBatch get(int k) {
        return indices(k);
      }

      @Override
      public int size() {
        return windowCount;
      }
    };
  }

  /** Every window one-hot, in order; each is built when asked for. */
  public List<ClassBatch> oneHotWindows() {
    return new AbstractList<>() {
      @Override
      public ClassBatch get(int k) {
        return oneHot(k);
      }

      @Override
      public int size() {
        return windowCount;
      }
    };
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "%s: %s streams of %s, %s windows of %s",
        name,
        batch(),
        streamLength(),
        windowCount,
        window);
  }
}
