package dev.rewind.datasets.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DefaultCorpusTest {

  @Test
  void theTextIsTheSameOnEveryRun() {
    assertEquals(
        DefaultCorpus.text(),
        DefaultCorpus.generate(new Random(DefaultCorpus.SEED), DefaultCorpus.LENGTH));
    assertEquals(DefaultCorpus.text(), DefaultCorpus.corpus().text());
  }

  @Test
  void theTextIsLongEnoughAndPlainAscii() {
    String text = DefaultCorpus.text();
    assertTrue(text.length() >= DefaultCorpus.LENGTH, "length " + text.length());
    assertTrue(
        text.chars().allMatch(c -> c == '\n' || (c >= ' ' && c < 127)),
        "only printable ASCII and newlines");
    assertTrue(text.endsWith("\n"), "ends with a whole paragraph");
  }

  @Test
  void sentencesStartWithCapitalsAndEndWithStopsOrQuestionMarks() {
    for (String paragraph : DefaultCorpus.text().split("\n")) {
      assertTrue(Character.isUpperCase(paragraph.charAt(0)), paragraph);
      char last = paragraph.charAt(paragraph.length() - 1);
      assertTrue(last == '.' || last == '?', paragraph);
    }
  }

  @Test
  void verbsAgreeWithASingularSubject() {
    assertEquals("reads", DefaultCorpus.thirdPerson("read"));
    assertEquals("passes", DefaultCorpus.thirdPerson("pass"));
    assertEquals("watches", DefaultCorpus.thirdPerson("watch"));
    assertEquals("carries", DefaultCorpus.thirdPerson("carry"));
    assertEquals("obeys", DefaultCorpus.thirdPerson("obey"));
  }
}
