package dev.rewind.datasets.text;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkPositionIndexes;

import com.google.common.primitives.ImmutableIntArray;
import dev.rewind.datasets.DatasetException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A text as a sequence of characters (Unicode code points), with a name that error messages use:
 * the file it came from, or a label given to an in-memory text. Note 000's character model reads
 * one character per step; this is its training text.
 *
 * <p>It is held compactly: each character as a 16-bit index into the text's distinct code points,
 * two bytes a character, and a slice or a split shares its parent's array rather than copying it. A
 * text may hold up to 65,535 distinct characters.
 */
public final class Corpus {
  private final String name;
  // The distinct code points of the whole text these characters come from, sorted.
  private final int[] symbols;
  private final char[] indices;
  private final int from;
  private final int to;
  private String sha256;

  Corpus(String name, int[] symbols, char[] indices, int from, int to, String sha256) {
    this.name = name;
    this.symbols = symbols;
    this.indices = indices;
    this.from = from;
    this.to = to;
    this.sha256 = sha256;
  }

  /**
   * Reads {@code file} as UTF-8, strictly: a malformed byte is an error, never a replacement
   * character. A leading byte-order mark is dropped. The file is read in one pass, straight into
   * the compact form, so a text of N characters needs about 2N bytes of heap (4N at the end of
   * reading a text that is not all ASCII).
   *
   * @throws DatasetException naming the file if it is missing, unreadable, empty or not valid UTF-8
   */
  public static Corpus read(Path file) {
    return CorpusReader.read(file);
  }

  /**
   * A corpus of {@code text}, called {@code name} in messages.
   *
   * @throws DatasetException if the text is empty
   */
  public static Corpus of(String name, String text) {
    if (text.isEmpty()) {
      throw new DatasetException(name + ": the text is empty");
    }
    CompactText compact = new CompactText(name, text.length());
    text.codePoints().forEach(compact::add);
    return compact.finish(null);
  }

  public String name() {
    return name;
  }

  /** The number of characters (code points). */
  public int length() {
    return to - from;
  }

  /** The character at {@code position}, counted in code points. */
  public int codePointAt(int position) {
    checkElementIndex(position, length(), "corpus: position");
    return symbols[indices[from + position]];
  }

  /** The distinct characters of this text, sorted by code point. */
  public ImmutableIntArray distinctCodePoints() {
    if (from == 0 && to == indices.length) {
      return ImmutableIntArray.copyOf(symbols); // every symbol of a whole text occurs in it
    }
    boolean[] present = new boolean[symbols.length];
    for (int i = from; i < to; i++) {
      present[indices[i]] = true;
    }
    ImmutableIntArray.Builder distinct = ImmutableIntArray.builder();
    for (int s = 0; s < symbols.length; s++) {
      if (present[s]) {
        distinct.add(symbols[s]);
      }
    }
    return distinct.build();
  }

  /**
   * The SHA-256 of the text's UTF-8 encoding (without a byte-order mark), in 64 lowercase hex
   * digits: what identifies a text, whatever path it was read from.
   */
  public String sha256() {
    if (sha256 == null) {
      MessageDigest digest = Sha256.newDigest();
      byte[] buffer = new byte[1 << 16];
      int filled = 0;
      for (int i = from; i < to; i++) {
        if (filled > buffer.length - 4) {
          digest.update(buffer, 0, filled);
          filled = 0;
        }
        filled = Sha256.putUtf8(buffer, filled, symbols[indices[i]]);
      }
      digest.update(buffer, 0, filled);
      sha256 = HexFormat.of().formatHex(digest.digest());
    }
    return sha256;
  }

  /** A copy of the characters. */
  public int[] codePoints() {
    int[] codePoints = new int[length()];
    for (int i = 0; i < codePoints.length; i++) {
      codePoints[i] = symbols[indices[from + i]];
    }
    return codePoints;
  }

  public String text() {
    StringBuilder text = new StringBuilder(length());
    for (int i = from; i < to; i++) {
      text.appendCodePoint(symbols[indices[i]]);
    }
    return text.toString();
  }

  /** The characters in {@code [from, to)}, as a corpus called {@code name}; nothing is copied. */
  public Corpus slice(int from, int to, String name) {
    checkPositionIndexes(from, to, length());
    if (from == to) {
      throw new DatasetException(name + ": the text is empty");
    }
    return new Corpus(name, symbols, indices, this.from + from, this.from + to, null);
  }

  /**
   * Splits into a training part (the first {@code 1 - validationFraction} of the text) and a
   * validation part (the rest), each contiguous, so that no window of one overlaps the other. The
   * boundary is rounded to the nearest character.
   *
   * @throws DatasetException if either part would be empty
   */
  public CorpusSplit split(double validationFraction) {
    checkArgument(
        validationFraction > 0 && validationFraction < 1,
        "%s: a validation fraction must be in (0, 1), not %s",
        name,
        validationFraction);
    int validation = (int) Math.round(length() * validationFraction);
    int training = length() - validation;
    if (validation == 0 || training == 0) {
      throw new DatasetException(
          String.format(
              Locale.ROOT,
              "%s: %s cannot be split with a validation fraction of %s: the %s part would be"
                  + " empty",
              name,
              Messages.count(length(), "character"),
              validationFraction,
              validation == 0 ? "validation" : "training"));
    }
    return new CorpusSplit(
        slice(0, training, name + " (training)"),
        slice(training, length(), name + " (validation)"));
  }

  /**
   * Each character as its index in {@code vocabulary}, as 16-bit values: the corpus's own array,
   * shared, when the vocabulary is the whole text's (as {@link Vocabulary#of(Corpus)} builds it),
   * else a new one.
   *
   * @throws DatasetException naming the corpus, the character and its position if a character is
   *     not in the vocabulary, or if the vocabulary has more than 65,536 symbols
   */
  Encoded encode(Vocabulary vocabulary) {
    if (vocabulary.symbols().equals(ImmutableIntArray.copyOf(symbols))) {
      return new Encoded(indices, from, length());
    }
    if (vocabulary.size() > CompactText.MAX_SYMBOLS) {
      throw new DatasetException(
          String.format(
              "%s: a vocabulary of %s cannot be held in 16 bits",
              name, Messages.count(vocabulary.size(), "symbol")));
    }
    int[] table = new int[symbols.length];
    for (int s = 0; s < symbols.length; s++) {
      table[s] = vocabulary.contains(symbols[s]) ? vocabulary.index(symbols[s]) : -1;
    }
    char[] encoded = new char[length()];
    for (int i = 0; i < encoded.length; i++) {
      int index = table[indices[from + i]];
      if (index < 0) {
        throw new DatasetException(
            String.format(
                "%s: character %s at position %s is not in the vocabulary of %s",
                name,
                Messages.symbol(codePointAt(i)),
                Messages.number(i),
                Messages.count(vocabulary.size(), "symbol")));
      }
      encoded[i] = (char) index;
    }
    return new Encoded(encoded, 0, encoded.length);
  }

  /** Vocabulary indices {@code tokens[offset, offset + length)}, each a 16-bit value. */
  record Encoded(char[] tokens, int offset, int length) {}

  @Override
  public String toString() {
    return name + ": " + Messages.count(length(), "character");
  }
}
