package dev.rewind.datasets.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;

class VocabularyProperties {

  @Property(tries = 100)
  void decodingTheEncodingGivesTheTextBack(@ForAll @StringLength(min = 1, max = 60) String text) {
    Vocabulary vocabulary = Vocabulary.fromText(text);

    assertEquals(text, vocabulary.decode(vocabulary.encode(text)));
  }

  @Property(tries = 100)
  void indicesFollowCodePointOrder(@ForAll @StringLength(min = 1, max = 60) String text) {
    Vocabulary vocabulary = Vocabulary.fromText(text);

    for (int i = 1; i < vocabulary.size(); i++) {
      assertTrue(vocabulary.symbol(i - 1) < vocabulary.symbol(i));
    }
    assertEquals(text.codePoints().distinct().count(), vocabulary.size());
  }
}
