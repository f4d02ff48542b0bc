package dev.rewind.datasets.text;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkPositionIndexes;

import dev.rewind.datasets.DatasetException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A text as a sequence of characters (Unicode code points), with a name that error messages use:
 * the file it came from, or a label given to an in-memory text. Note 000's character model reads
 * one character per step; this is its training text.
 */
public final class Corpus {
  private final String name;
  private final int[] codePoints;

  private Corpus(String name, int[] codePoints) {
    this.name = name;
    this.codePoints = codePoints;
  }

  /**
   * Reads {@code file} as UTF-8, strictly: a malformed byte is an error, never a replacement
   * character. A leading byte-order mark is dropped.
   *
   * @throws DatasetException naming the file if it is missing, empty or not valid UTF-8
   */
  public static Corpus read(Path file) {
    return new Corpus(file.toString(), TextFiles.readUtf8(file).codePoints().toArray());
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
    return new Corpus(name, text.codePoints().toArray());
  }

  public String name() {
    return name;
  }

  /** The number of characters (code points). */
  public int length() {
    return codePoints.length;
  }

  /** The character at {@code position}, counted in code points. */
  public int codePointAt(int position) {
    checkElementIndex(position, codePoints.length, "corpus: position");
    return codePoints[position];
  }

  /**
   * The SHA-256 of the text's UTF-8 encoding (without a byte-order mark), in 64 lowercase hex
   * digits: what identifies a text, whatever path it was read from.
   */
  public String sha256() {
    MessageDigest digest = Sha256.newDigest();
    byte[] buffer = new byte[1 << 16];
    int filled = 0;
    for (int i = 0; i < length(); i++) {
      if (filled > buffer.length - 4) {
        digest.update(buffer, 0, filled);
        filled = 0;
      }
      filled = Sha256.putUtf8(buffer, filled, codePointAt(i));
    }
    digest.update(buffer, 0, filled);
    return HexFormat.of().formatHex(digest.digest());
  }

  /** A copy of the characters. */
  public int[] codePoints() {
    return codePoints.clone();
  }

  public String text() {
    return new String(codePoints, 0, codePoints.length);
  }

  /** The characters in {@code [from, to)}, as a corpus called {@code name}. */
  public Corpus slice(int from, int to, String name) {
    checkPositionIndexes(from, to, codePoints.length);
    if (from == to) {
      throw new DatasetException(name + ": the text is empty");
    }
    return new Corpus(name, Arrays.copyOfRange(codePoints, from, to));
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
    int validation = (int) Math.round(codePoints.length * validationFraction);
    int training = codePoints.length - validation;
    if (validation == 0 || training == 0) {
      throw new DatasetException(
          String.format(
              Locale.ROOT,
              "%s: %s cannot be split with a validation fraction of %s: the %s part would be"
                  + " empty",
              name,
              Messages.count(codePoints.length, "character"),
              validationFraction,
              validation == 0 ? "validation" : "training"));
    }
    return new CorpusSplit(
        slice(0, training, name + " (training)"),
        slice(training, codePoints.length, name + " (validation)"));
  }

  @Override
  public String toString() {
    return name + ": " + Messages.count(codePoints.length, "character");
  }
}
