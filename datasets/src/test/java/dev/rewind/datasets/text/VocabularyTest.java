package dev.rewind.datasets.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.datasets.DatasetException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyTest {
  /** 65 symbols: the letters, digits and three punctuation marks. */
  private static final String SIXTY_FIVE =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,";

  @TempDir Path folder;

  @Test
  void symbolsOfACorpusAreItsDistinctCharactersSortedByCodePoint() {
    Vocabulary vocabulary = Vocabulary.of(Corpus.of("t", "hello world"));

    assertEquals(" dehlorw", vocabulary.decode(0, 1, 2, 3, 4, 5, 6, 7));
    assertEquals(8, vocabulary.size());
  }

  @Test
  void encodeThenDecodeGivesTheTextBack() {
    Vocabulary vocabulary = Vocabulary.fromText("héllo 😀");

    int[] encoded = vocabulary.encode("😀 hé");

    assertEquals(4, encoded.length);
    assertEquals("😀 hé", vocabulary.decode(encoded));
  }

  @Test
  void saveThenLoadGivesTheSameVocabularyEvenWithWhitespaceAndEmoji() {
    Vocabulary vocabulary = Vocabulary.fromText("a b\tc\nd\r😀'\\é");
    Path file = folder.resolve("vocabulary.txt");

    vocabulary.save(file);

    assertEquals(vocabulary, Vocabulary.load(file));
  }

  @Test
  void savedFileListsOneCodePointAndSymbolPerLine() throws IOException {
    Path file = folder.resolve("vocabulary.txt");

    Vocabulary.of("h\né").save(file);

    assertEquals(
        "# vocabulary: 3 symbols, one per line in index order: code point, tab, symbol\n"
            + "U+0068\t'h'\n"
            + "U+000A\t'\\n'\n"
            + "U+00E9\t'é'\n",
        Files.readString(file, StandardCharsets.UTF_8));
  }

  @Test
  void aResumedCorpusWithNewSymbolsIsAMismatchThatListsThem() throws IOException {
    Path vocabularyFile = folder.resolve("vocabulary.txt");
    Vocabulary.fromText(SIXTY_FIVE).save(vocabularyFile);
    Path corpusFile = folder.resolve("corpus.txt");
    Files.writeString(corpusFile, SIXTY_FIVE + "ßé", StandardCharsets.UTF_8);
    Vocabulary saved = Vocabulary.load(vocabularyFile);
    Corpus corpus = Corpus.read(corpusFile);

    DatasetException e = assertThrows(DatasetException.class, () -> saved.checkCovers(corpus));

    assertEquals(65, saved.size());
    assertEquals(
        "vocabulary mismatch: checkpoint has 65 symbols, " + corpusFile + " has 67 (new: 'ß', 'é')",
        e.getMessage());
  }

  @Test
  void aCorpusUsingFewerSymbolsIsCovered() {
    Vocabulary.fromText("abcdef").checkCovers(Corpus.of("part", "bead"));
  }

  @Test
  void checkSameAsListsNewAndMissingSymbols() {
    Vocabulary saved = Vocabulary.fromText("abcx");
    Vocabulary current = Vocabulary.fromText("abcyz");

    DatasetException e =
        assertThrows(DatasetException.class, () -> saved.checkSameAs(current, "corpus.txt"));

    assertEquals(
        "vocabulary mismatch: checkpoint has 4 symbols, corpus.txt has 5 (new: 'y', 'z';"
            + " missing: 'x')",
        e.getMessage());
  }

  @Test
  void checkSameAsNoticesAReordering() {
    DatasetException e =
        assertThrows(
            DatasetException.class,
            () -> Vocabulary.of("helo").checkSameAs(Vocabulary.of("ehlo"), "corpus.txt"));

    assertEquals(
        "vocabulary mismatch: checkpoint and corpus.txt have the same 4 symbols in a different"
            + " order",
        e.getMessage());
  }

  @Test
  void encodingACorpusWithAnUnknownCharacterNamesItAndItsPosition() {
    Corpus corpus = Corpus.of("corpus.txt", "abcaéb");

    DatasetException e =
        assertThrows(DatasetException.class, () -> Vocabulary.fromText("abc").encode(corpus));

    assertEquals(
        "corpus.txt: character 'é' at position 4 is not in the vocabulary of 3 symbols",
        e.getMessage());
  }

  @Test
  void aMalformedVocabularyFileNamesTheLine() throws IOException {
    Path file = folder.resolve("vocabulary.txt");
    Files.writeString(file, "# comment\nU+0061\ta\nabc\n", StandardCharsets.UTF_8);

    DatasetException e = assertThrows(DatasetException.class, () -> Vocabulary.load(file));

    assertEquals(
        file + ": line 3 is not a symbol: expected a code point such as U+0041, found \"abc\"",
        e.getMessage());
  }

  @Test
  void aRepeatedSymbolInAVocabularyFileNamesBothLines() throws IOException {
    Path file = folder.resolve("vocabulary.txt");
    Files.writeString(file, "U+0061\nU+0062\nU+0061\n", StandardCharsets.UTF_8);

    DatasetException e = assertThrows(DatasetException.class, () -> Vocabulary.load(file));

    assertEquals(file + ": line 3 repeats U+0061 'a' from line 1", e.getMessage());
  }

  @Test
  void aMissingVocabularyFileIsNamed() {
    Path file = folder.resolve("vocabulary.txt");

    DatasetException e = assertThrows(DatasetException.class, () -> Vocabulary.load(file));

    assertEquals(file + ": no such file", e.getMessage());
  }

  @Test
  void oneHotOfHelloHasOneOnePerRow() {
    assertArrayEquals(
        new double[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0},
        Vocabulary.of("helo").oneHot("hel").toArray());
  }

  @Test
  void toStringShowsTheSymbols() {
    assertTrue(Vocabulary.of("helo").toString().startsWith("Vocabulary[4: 'h', 'e', 'l', 'o']"));
  }
}
