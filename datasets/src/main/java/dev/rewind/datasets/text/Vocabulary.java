package dev.rewind.datasets.text;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;

import com.google.common.primitives.ImmutableIntArray;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.datasets.DatasetException;
import dev.rewind.datasets.OneHot;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The symbols of a character model, each with an index: index {@code i} is input feature {@code i}
 * of a one-hot vector and output class {@code i}. Built from a corpus, the symbols are its distinct
 * characters sorted by code point, so the same text always gives the same indices; built from a
 * string, they keep the string's order, as note 000's vocabulary [h, e, l, o] does.
 *
 * <p>A vocabulary is saved next to a checkpoint as text ({@link #save}) so that a resumed run can
 * check that its corpus still fits ({@link #checkCovers}).
 */
public final class Vocabulary {
  private final ImmutableIntArray symbols;
  private final Map<Integer, Integer> indices;

  private Vocabulary(ImmutableIntArray symbols) {
    checkArgument(!symbols.isEmpty(), "vocabulary: no symbols");
    this.symbols = symbols;
    this.indices = new HashMap<>();
    for (int i = 0; i < symbols.length(); i++) {
      Integer previous = indices.putIfAbsent(symbols.get(i), i);
      checkArgument(
          previous == null,
          "vocabulary: symbol %s appears at index %s and again at %s",
          Messages.symbol(symbols.get(i)),
          previous,
          i);
    }
  }

  /** The characters of {@code symbols}, in that order; each may appear once. */
  public static Vocabulary of(String symbols) {
    return new Vocabulary(ImmutableIntArray.copyOf(symbols.codePoints().toArray()));
  }

  /** These code points, in this order; each may appear once. */
  public static Vocabulary ofCodePoints(int... codePoints) {
    return new Vocabulary(ImmutableIntArray.copyOf(codePoints));
  }

  /** The distinct characters of {@code text}, sorted by code point. */
  public static Vocabulary fromText(String text) {
    return new Vocabulary(
        ImmutableIntArray.copyOf(text.codePoints().distinct().sorted().toArray()));
  }

  /** The distinct characters of {@code corpus}, sorted by code point. */
  public static Vocabulary of(Corpus corpus) {
    return new Vocabulary(corpus.distinctCodePoints());
  }

  /**
   * Reads a vocabulary written by {@link #save}.
   *
   * @throws DatasetException naming the file if it is missing, empty or malformed
   */
  public static Vocabulary load(Path file) {
    return new Vocabulary(VocabularyFile.read(file));
  }

  /**
   * Writes one symbol per line, in index order, as its code point ({@code U+0041}) followed by the
   * symbol itself for a human reader; {@link #load} reads only the code points. The file is
   * replaced atomically: a crash leaves the old file or the new one, whole.
   *
   * @throws java.io.UncheckedIOException naming the file if it cannot be written; it is then as it
   *     was
   */
  public void save(Path file) {
    VocabularyFile.write(file, symbols);
  }

  public int size() {
    return symbols.length();
  }

  /** The code point at {@code index}. */
  public int symbol(int index) {
    checkElementIndex(index, symbols.length(), "vocabulary: index");
    return symbols.get(index);
  }

  /** The code points in index order. */
  public ImmutableIntArray symbols() {
    return symbols;
  }

  public boolean contains(int codePoint) {
    return indices.containsKey(codePoint);
  }

  /**
   * The index of {@code codePoint}.
   *
   * @throws IllegalArgumentException if it is not in the vocabulary
   */
  public int index(int codePoint) {
    Integer index = indices.get(codePoint);
    checkArgument(
        index != null,
        "vocabulary: %s is not among its %s symbols",
        Messages.symbol(codePoint),
        symbols.length());
    return index;
  }

  /** The index of each character of {@code text}. */
  public int[] encode(String text) {
    return text.codePoints().map(this::index).toArray();
  }

  /**
   * The index of each character of {@code corpus}.
   *
   * @throws DatasetException naming the corpus, the character and its position if a character is
   *     not in the vocabulary
   */
  public int[] encode(Corpus corpus) {
    Corpus.Encoded encoded = corpus.encode(this);
    int[] indices = new int[encoded.length()];
    for (int i = 0; i < indices.length; i++) {
      indices[i] = encoded.tokens()[encoded.offset() + i];
    }
    return indices;
  }

  /**
   * How often each symbol occurs in {@code corpus}: element {@code i} counts symbol {@code i}.
   * Reads the corpus in place, without an array of its indices.
   *
   * @throws DatasetException if a character of the corpus is not in the vocabulary
   */
  public long[] count(Corpus corpus) {
    Corpus.Encoded encoded = corpus.encode(this);
    long[] counts = new long[size()];
    for (int i = 0; i < encoded.length(); i++) {
      counts[encoded.tokens()[encoded.offset() + i]]++;
    }
    return counts;
  }

  /** The text whose characters have these indices. */
  public String decode(int... indices) {
    StringBuilder text = new StringBuilder(indices.length);
    for (int index : indices) {
      text.appendCodePoint(symbol(index));
    }
    return text.toString();
  }

  /** {@code text} one-hot: {@code [characters, size()]}. */
  public Tensor oneHot(String text) {
    return OneHot.encode(encode(text), size());
  }

  /**
   * Checks that this vocabulary, saved with a checkpoint, can encode {@code corpus}: every
   * character of the corpus must be one of its symbols.
   *
   * @throws DatasetException listing the corpus's new symbols, such as {@code vocabulary mismatch:
   *     checkpoint has 65 symbols, corpus.txt has 67 (new: 'é', 'ß')}
   */
  public void checkCovers(Corpus corpus) {
    VocabularyMismatch.checkCovers(this, of(corpus), corpus.name());
  }

  /**
   * Checks that {@code current} is exactly this vocabulary, saved with a checkpoint: the same
   * symbols at the same indices.
   *
   * @throws DatasetException listing the new and missing symbols, or saying the order differs
   */
  public void checkSameAs(Vocabulary current, String currentName) {
    VocabularyMismatch.checkSame(this, current, currentName);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Vocabulary other && symbols.equals(other.symbols);
  }

  @Override
  public int hashCode() {
    return symbols.hashCode();
  }

  /** {@code Vocabulary[4: 'h', 'e', 'l', 'o']}, with at most the first 20 symbols listed. */
  @Override
  public String toString() {
    return "Vocabulary[" + size() + ": " + Messages.symbols(symbols.asList(), 20) + "]";
  }
}
