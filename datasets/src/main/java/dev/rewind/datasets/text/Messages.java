package dev.rewind.datasets.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Wording shared by error messages: counts with thousands separators, quoted symbols. */
final class Messages {
  private Messages() {}

  /** {@code 1 character}, {@code 1,234 characters}. */
  static String count(long n, String noun) {
    return number(n) + " " + noun + (n == 1 ? "" : "s");
  }

  /** {@code 1,234}. */
  static String number(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** A code point as a reader sees it: {@code 'é'}, {@code '\n'}, {@code U+0007}. */
  static String symbol(int codePoint) {
    String escaped =
        switch (codePoint) {
          case '\n' -> "\\n";
          case '\r' -> "\\r";
          case '\t' -> "\\t";
          case '\'' -> "\\'";
          case '\\' -> "\\\\";
          default -> null;
        };
    if (escaped != null) {
      return "'" + escaped + "'";
    }
    // Other invisible or unprintable symbols would read as nothing, so they show as code points.
    if (Character.isISOControl(codePoint)
        || !Character.isDefined(codePoint)
        || Character.getType(codePoint) == Character.SURROGATE
        || (Character.isWhitespace(codePoint) && codePoint != ' ')) {
      return codePoint(codePoint);
    }
    return "'" + new String(Character.toChars(codePoint)) + "'";
  }

  /** {@code U+00E9}. */
  static String codePoint(int codePoint) {
    return String.format(Locale.ROOT, "U+%04X", codePoint);
  }

  /** {@code 'é', 'ß'}, or the first {@code limit} followed by {@code and 5 more}. */
  static String symbols(List<Integer> codePoints, int limit) {
    List<String> shown = new ArrayList<>();
    for (int i = 0; i < Math.min(limit, codePoints.size()); i++) {
      shown.add(symbol(codePoints.get(i)));
    }
    String listed = String.join(", ", shown);
    int rest = codePoints.size() - shown.size();
    return rest == 0 ? listed : listed + " and " + number(rest) + " more";
  }
}
