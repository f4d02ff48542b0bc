package dev.rewind.datasets.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rewind.datasets.DatasetException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LanguageModelStreamsTest {
  @TempDir Path folder;

  @Test
  void aWindowLongerThanTheCorpusNamesTheFileAndTheNumbers() throws IOException {
    Corpus corpus = read("corpus.txt", "hello world!");

    DatasetException e =
        assertThrows(
            DatasetException.class,
            () -> LanguageModelStreams.of(corpus, Vocabulary.of(corpus), 4, 64));

    assertEquals(
        corpus.name()
            + ": 12 characters, too short for a window of 64 with batch 4: the window is longer"
            + " than the corpus",
        e.getMessage());
  }

  @Test
  void aCorpusTooShortForTheBatchSaysHowMuchIsNeeded() throws IOException {
    Corpus corpus = read("corpus.txt", "x".repeat(200));

    DatasetException e =
        assertThrows(
            DatasetException.class,
            () -> LanguageModelStreams.of(corpus, Vocabulary.of(corpus), 4, 64));

    assertEquals(
        corpus.name()
            + ": 200 characters, too short for a window of 64 with batch 4: needs at least 260,"
            + " batch × (window + 1)",
        e.getMessage());
  }

  @Test
  void aWindowAsLongAsTheCorpusLeavesNoLastTarget() {
    Corpus corpus = Corpus.of("corpus.txt", "abcd");

    DatasetException e =
        assertThrows(
            DatasetException.class,
            () -> LanguageModelStreams.of(corpus, Vocabulary.of(corpus), 1, 4));

    assertEquals(
        "corpus.txt: 4 characters, too short for a window of 4 with batch 1: the window is as"
            + " long as the corpus, leaving no character for its last target",
        e.getMessage());
  }

  @Test
  void theValidationPartOfASplitIsNamedInItsErrors() {
    Corpus corpus = Corpus.of("corpus.txt", "abcdefghij".repeat(10));
    Corpus validation = corpus.split(0.1).validation();

    DatasetException e =
        assertThrows(
            DatasetException.class,
            () -> LanguageModelStreams.of(validation, Vocabulary.of(corpus), 2, 8));

    assertEquals(
        "corpus.txt (validation): 10 characters, too short for a window of 8 with batch 2:"
            + " needs at least 18, batch × (window + 1)",
        e.getMessage());
  }

  @Test
  void aCorpusJustLongEnoughGivesOneWindow() {
    Corpus corpus = Corpus.of("corpus.txt", "abcdefghij");

    LanguageModelStreams streams = LanguageModelStreams.of(corpus, Vocabulary.of(corpus), 2, 4);

    assertEquals(1, streams.windowCount());
    assertEquals("abcd", Vocabulary.of(corpus).decode(streams.indices(0).inputs().row(0)));
    assertEquals("bcde", Vocabulary.of(corpus).decode(streams.indices(0).targets().row(0)));
    assertEquals("fghi", Vocabulary.of(corpus).decode(streams.indices(0).inputs().row(1)));
    assertEquals("ghij", Vocabulary.of(corpus).decode(streams.indices(0).targets().row(1)));
  }

  private Corpus read(String name, String text) throws IOException {
    Path file = folder.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return Corpus.read(file);
  }
}
