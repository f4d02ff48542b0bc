package dev.rewind.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;

/** Parses JSON as a strict parser does: no NaN, no comments, no unquoted names, one document. */
public final class StrictJson {
  private StrictJson() {}

  /** The one JSON value {@code text} holds; fails on anything RFC 8259 does not allow. */
  public static JsonElement parse(String text) {
    try (JsonReader reader = new JsonReader(new StringReader(text))) {
      reader.setStrictness(Strictness.STRICT);
      JsonElement element = JsonParser.parseReader(reader);
      assertEquals(JsonToken.END_DOCUMENT, reader.peek(), "text after the JSON document");
      return element;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
