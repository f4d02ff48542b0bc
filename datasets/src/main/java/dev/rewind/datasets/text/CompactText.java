package dev.rewind.datasets.text;

import dev.rewind.datasets.DatasetException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A text as one 16-bit index per character into its distinct code points, sorted: two bytes a
 * character, whatever the script, where an {@code int[]} of code points takes four and a {@code
 * String} and its copies took the rest. Built one character at a time, so that a file is encoded as
 * it is decoded, without holding its text as a {@code String}.
 *
 * <p>Characters are first numbered in the order they first appear; {@link #finish} renumbers them
 * by code point in place and trims the array.
 */
final class CompactText {
  /** The most distinct characters a 16-bit index can tell apart. */
  static final int MAX_SYMBOLS = 1 << 16;

  private final String name;
  private char[] indices;
  private int length;
  // First-seen index + 1 of each code point below 65,536; 0 for not yet seen.
  private final char[] basic = new char[1 << 16];
  private final Map<Integer, Integer> supplementary = new HashMap<>();
  private int[] symbols = new int[64];
  private int symbolCount;

  /**
   * @param capacity at least the number of characters to come (a file's size in bytes will do)
   */
  CompactText(String name, int capacity) {
    this.name = name;
    this.indices = new char[capacity];
  }

  void add(int codePoint) {
    int index;
    if (codePoint < basic.length) {
      index = basic[codePoint] - 1;
      if (index < 0) {
        index = newSymbol(codePoint);
        basic[codePoint] = (char) (index + 1);
      }
    } else {
      Integer seen = supplementary.get(codePoint);
      if (seen == null) {
        seen = newSymbol(codePoint);
        supplementary.put(codePoint, seen);
      }
      index = seen;
    }
    if (length == indices.length) {
      indices = Arrays.copyOf(indices, Math.max(16, indices.length + (indices.length >> 1)));
    }
    indices[length++] = (char) index;
  }

  int length() {
    return length;
  }

  private int newSymbol(int codePoint) {
    // NOTE: the 65,536th symbol would need index 65,535 + 1 in basic[], which a char cannot hold.
    if (symbolCount == MAX_SYMBOLS - 1) {
      throw new DatasetException(
          String.format(
              "%s: more than %s distinct characters; a text may hold at most that many",
              name, Messages.number(MAX_SYMBOLS - 1)));
    }
    if (symbolCount == symbols.length) {
      symbols = Arrays.copyOf(symbols, symbols.length * 2);
    }
    symbols[symbolCount] = codePoint;
    return symbolCount++;
  }

  /** The corpus: its characters renumbered by code point, its array trimmed to its length. */
  Corpus finish(String sha256) {
    int[] sorted = Arrays.copyOf(symbols, symbolCount);
    Arrays.sort(sorted);
    char[] renumber = new char[symbolCount];
    for (int i = 0; i < symbolCount; i++) {
      renumber[i] = (char) Arrays.binarySearch(sorted, symbols[i]);
    }
    char[] text = length == indices.length ? indices : Arrays.copyOf(indices, length);
    indices = null;
    for (int i = 0; i < text.length; i++) {
      text[i] = renumber[text[i]];
    }
    return new Corpus(name, sorted, text, 0, text.length, sha256);
  }
}
