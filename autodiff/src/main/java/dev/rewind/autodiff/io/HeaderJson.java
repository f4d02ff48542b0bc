package dev.rewind.autodiff.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON parser for safetensors headers: objects become insertion-ordered maps (a
 * repeated key is an error, not a silent overwrite), arrays lists, strings strings, integers of up
 * to 18 digits {@code Long}, other numbers {@code Double}, and {@code true}, {@code false}, {@code
 * null} themselves. Nesting is limited to {@value #MAX_DEPTH} levels, so a hostile header cannot
 * overflow the stack.
 */
final class HeaderJson {
  static final int MAX_DEPTH = 64;

  private final String text;
  private int position;

  private HeaderJson(String text) {
    this.text = text;
  }

  /** Thrown for malformed JSON; the message says what and where. */
  static final class MalformedJsonException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedJsonException(String message) {
      super(message);
    }
  }

  /** The value {@code text} holds, which must be all of it but surrounding whitespace. */
  static Object parse(String text) throws MalformedJsonException {
    HeaderJson parser = new HeaderJson(text);
    parser.skipWhitespace();
    Object value = parser.value(0);
    parser.skipWhitespace();
    if (parser.position != text.length()) {
      throw parser.error("unexpected text after the end of the JSON value");
    }
    return value;
  }

  private Object value(int depth) throws MalformedJsonException {
    if (depth > MAX_DEPTH) {
      throw error("nesting deeper than " + MAX_DEPTH + " levels");
    }
    if (position >= text.length()) {
      throw error("unexpected end of the header");
    }
    char c = text.charAt(position);
    return switch (c) {
      case '{' -> object(depth);
      case '[' -> array(depth);
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          yield number();
        }
        throw error("unexpected character '" + c + "'");
      }
    };
  }

  private Map<String, Object> object(int depth) throws MalformedJsonException {
    expect('{');
    Map<String, Object> members = new LinkedHashMap<>();
    skipWhitespace();
    if (peek('}')) {
      position++;
      return members;
    }
    while (true) {
      skipWhitespace();
      int keyAt = position;
      if (!peek('"')) {
        throw error("expected a string key");
      }
      String key = string();
      skipWhitespace();
      expect(':');
      skipWhitespace();
      Object value = value(depth + 1);
      if (members.containsKey(key)) {
        position = keyAt;
        throw error("duplicate key \"" + key + "\"");
      }
      members.put(key, value);
      skipWhitespace();
      if (peek(',')) {
        position++;
        continue;
      }
      expect('}');
      return members;
    }
  }

  private List<Object> array(int depth) throws MalformedJsonException {
    expect('[');
    List<Object> elements = new ArrayList<>();
    skipWhitespace();
    if (peek(']')) {
      position++;
      return elements;
    }
    while (true) {
      skipWhitespace();
      elements.add(value(depth + 1));
      skipWhitespace();
      if (peek(',')) {
        position++;
        continue;
      }
      expect(']');
      return Collections.unmodifiableList(elements);
    }
  }

  private String string() throws MalformedJsonException {
    expect('"');
    StringBuilder result = new StringBuilder();
    while (true) {
      if (position >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(position++);
      if (c == '"') {
        return result.toString();
      }
      if (c < 0x20) {
        position--;
        throw error("control character in a string");
      }
      if (c != '\\') {
        result.append(c);
        continue;
      }
      if (position >= text.length()) {
        throw error("unterminated escape");
      }
      char escaped = text.charAt(position++);
      switch (escaped) {
        case '"', '\\', '/' -> result.append(escaped);
        case 'b' -> result.append('\b');
        case 'f' -> result.append('\f');
        case 'n' -> result.append('\n');
        case 'r' -> result.append('\r');
        case 't' -> result.append('\t');
        case 'u' -> result.append(unicodeEscape());
        default -> {
          position--;
          throw error("invalid escape '\\" + escaped + "'");
        }
      }
    }
  }

  private char unicodeEscape() throws MalformedJsonException {
    if (position + 4 > text.length()) {
      throw error("truncated \\u escape");
    }
    int code = 0;
    for (int i = 0; i < 4; i++) {
      int digit = Character.digit(text.charAt(position + i), 16);
      if (digit < 0) {
        throw error("invalid \\u escape");
      }
      code = code * 16 + digit;
    }
    position += 4;
    return (char) code;
  }

  private Object number() throws MalformedJsonException {
    int start = position;
    if (peek('-')) {
      position++;
    }
    int digitsStart = position;
    skipDigits();
    if (position == digitsStart) {
      throw error("a number needs digits");
    }
    if (text.charAt(digitsStart) == '0' && position - digitsStart > 1) {
      position = digitsStart;
      throw error("a number may not start with 0");
    }
    boolean integer = true;
    if (peek('.')) {
      integer = false;
      position++;
      int fraction = position;
      skipDigits();
      if (position == fraction) {
        throw error("a fraction needs digits");
      }
    }
    if (peek('e') || peek('E')) {
      integer = false;
      position++;
      if (peek('+') || peek('-')) {
        position++;
      }
      int exponent = position;
      skipDigits();
      if (position == exponent) {
        throw error("an exponent needs digits");
      }
    }
    String token = text.substring(start, position);
    if (integer && position - digitsStart <= 18) {
      return Long.parseLong(token);
    }
    return Double.parseDouble(token);
  }

  private void skipDigits() {
    while (position < text.length()
        && text.charAt(position) >= '0'
        && text.charAt(position) <= '9') {
      position++;
    }
  }

  private Object literal(String word, Object value) throws MalformedJsonException {
    if (!text.startsWith(word, position)) {
      throw error("unexpected token");
    }
    position += word.length();
    return value;
  }

  private void skipWhitespace() {
    while (position < text.length()) {
      char c = text.charAt(position);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      position++;
    }
  }

  private boolean peek(char c) {
    return position < text.length() && text.charAt(position) == c;
  }

  private void expect(char c) throws MalformedJsonException {
    if (!peek(c)) {
      throw error(
          position >= text.length()
              ? "unexpected end, expected '" + c + "'"
              : "expected '" + c + "'");
    }
    position++;
  }

  private MalformedJsonException error(String problem) {
    return new MalformedJsonException(problem + " at character " + position);
  }
}
