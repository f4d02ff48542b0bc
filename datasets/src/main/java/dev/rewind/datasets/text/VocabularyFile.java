package dev.rewind.datasets.text;

import com.google.common.primitives.ImmutableIntArray;
import dev.rewind.autodiff.io.AtomicWrite;
import dev.rewind.datasets.DatasetException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text form of a vocabulary: a comment line, then one line per symbol in index order, its code
 * point and, after a tab, the symbol as a reader would write it:
 *
 * <pre>
 * # vocabulary: 4 symbols, one per line in index order: code point, tab, symbol
 * U+0068	'h'
 * U+000A	'\n'
 * </pre>
 *
 * Only the code points are read back, so spaces, newlines and tabs in the text survive unchanged.
 */
final class VocabularyFile {
  private static final Pattern LINE = Pattern.compile("U\\+([0-9A-Fa-f]{4,6})(?:\\t.*)?");

  private VocabularyFile() {}

  static void write(Path file, ImmutableIntArray symbols) {
    StringBuilder text = new StringBuilder();
    text.append("# vocabulary: ")
        .append(Messages.count(symbols.length(), "symbol"))
        .append(", one per line in index order: code point, tab, symbol\n");
    for (int i = 0; i < symbols.length(); i++) {
      int codePoint = symbols.get(i);
      text.append(Messages.codePoint(codePoint))
          .append('\t')
          .append(Messages.symbol(codePoint))
          .append('\n');
    }
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    try {
      AtomicWrite.write(file, out -> out.write(bytes));
    } catch (IOException e) {
      // AtomicWrite's message names the file and says that nothing was changed.
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  static ImmutableIntArray read(Path file) {
    String[] lines = TextFiles.readUtf8(file).split("\n", -1);
    ImmutableIntArray.Builder symbols = ImmutableIntArray.builder();
    Map<Integer, Integer> seenOnLine = new HashMap<>();
    for (int i = 0; i < lines.length; i++) {
      String line =
          lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int lineNumber = i + 1;
      int codePoint = parse(file, lineNumber, line);
      Integer earlier = seenOnLine.putIfAbsent(codePoint, lineNumber);
      if (earlier != null) {
        throw new DatasetException(
            String.format(
                "%s: line %s repeats %s %s from line %s",
                file,
                lineNumber,
                Messages.codePoint(codePoint),
                Messages.symbol(codePoint),
                earlier));
      }
      symbols.add(codePoint);
    }
    ImmutableIntArray result = symbols.build();
    if (result.isEmpty()) {
      throw new DatasetException(file + ": no symbols, only comments and blank lines");
    }
    return result;
  }

  private static int parse(Path file, int lineNumber, String line) {
    Matcher matcher = LINE.matcher(line);
    int codePoint = matcher.matches() ? Integer.parseInt(matcher.group(1), 16) : -1;
    if (codePoint < 0 || !Character.isValidCodePoint(codePoint)) {
      throw new DatasetException(
          String.format(
              "%s: line %s is not a symbol: expected a code point such as U+0041, found \"%s\"",
              file, lineNumber, line));
    }
    return codePoint;
  }
}
