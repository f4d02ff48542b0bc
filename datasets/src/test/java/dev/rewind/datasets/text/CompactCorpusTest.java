package dev.rewind.datasets.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.datasets.DatasetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corpus read in one streaming pass into 16-bit indices: the same characters as decoding the
 * whole file, bad bytes located past the first chunk, a content hash, and about two bytes of heap a
 * character.
 */
class CompactCorpusTest {
  @TempDir Path folder;

  @Test
  void readingInChunksGivesTheCharactersOfTheWholeFile() throws Exception {
    String text = mixedText(new Random(3), 200_000);
    Path file = Files.writeString(folder.resolve("mixed.txt"), text, StandardCharsets.UTF_8);

    Corpus corpus = Corpus.read(file);

    assertArrayEquals(text.codePoints().toArray(), corpus.codePoints());
    assertEquals(text, corpus.text());
  }

  @Test
  void aBadByteBeyondTheFirstChunkIsLocated() throws Exception {
    byte[] bytes = "a".repeat(100_000).getBytes(StandardCharsets.UTF_8);
    bytes[99_999] = (byte) 0xff;
    Path file = Files.write(folder.resolve("bad.txt"), bytes);

    DatasetException e = assertThrows(DatasetException.class, () -> Corpus.read(file));

    assertEquals(file + ": not valid UTF-8 at byte 99,999", e.getMessage());
  }

  @Test
  void theHashIsThatOfTheTextsUtf8WhateverTheSourceAndWithoutAByteOrderMark() throws Exception {
    String text = mixedText(new Random(4), 70_000);
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(utf8));
    Path plain = Files.write(folder.resolve("plain.txt"), utf8);
    Path withBom = folder.resolve("bom.txt");
    Files.write(withBom, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    Files.write(withBom, utf8, java.nio.file.StandardOpenOption.APPEND);

    assertEquals(expected, Corpus.read(plain).sha256());
    assertEquals(expected, Corpus.read(withBom).sha256());
    assertEquals(expected, Corpus.of("in memory", text).sha256());
    assertEquals(
        Corpus.of("x", text.substring(0, 10)).sha256(),
        Corpus.read(plain).slice(0, text.codePointCount(0, 10), "slice").sha256());
  }

  @Test
  void aSliceSharesItsCharactersAndKnowsItsOwnDistinctOnes() {
    Corpus corpus = Corpus.of("t", "aaaabbbbcc");
    Corpus slice = corpus.slice(4, 8, "middle");

    assertEquals("bbbb", slice.text());
    assertEquals(Vocabulary.of("b"), Vocabulary.of(slice));
    assertEquals(Vocabulary.of("abc"), Vocabulary.of(corpus));
  }

  @Test
  void moreDistinctCharactersThanSixteenBitsHoldAreRefused() {
    StringBuilder text = new StringBuilder();
    for (int c = 0x20000; c < 0x20000 + 65_536; c++) {
      text.appendCodePoint(c);
    }

    DatasetException e =
        assertThrows(DatasetException.class, () -> Corpus.of("cjk", text.toString()));

    assertEquals(
        "cjk: more than 65,535 distinct characters; a text may hold at most that many",
        e.getMessage());
  }

  @Test
  void aTextTakesAboutTwoBytesOfHeapPerCharacterWithItsStreams() throws Exception {
    int characters = 8_000_000;
    Path file = folder.resolve("large.txt");
    byte[] bytes = new byte[characters];
    Random random = new Random(5);
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) ('a' + random.nextInt(26));
    }
    Files.write(file, bytes);
    bytes = null;

    long before = usedHeap();
    Corpus corpus = Corpus.read(file);
    Vocabulary vocabulary = Vocabulary.of(corpus);
    CorpusSplit split = corpus.split(0.1);
    LanguageModelStreams streams = LanguageModelStreams.of(split.training(), vocabulary, 16, 32);
    long after = usedHeap();

    double perCharacter = (after - before) / (double) characters;
    System.out.printf("corpus and streams: %.2f bytes per character%n", perCharacter);
    assertTrue(perCharacter < 3, perCharacter + " bytes per character");
    assertTrue(streams.windowCount() > 0 && corpus.length() == characters);
  }

  private static long usedHeap() throws InterruptedException {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(20);
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }

  /** ASCII, Latin-1, CJK and emoji, so that characters of 1 to 4 bytes straddle every chunk. */
  private static String mixedText(Random random, int characters) {
    int[] alphabet = {'a', 'b', ' ', '\n', 'é', 'ß', '中', '文', 0x1F600, 0x1F680};
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < characters; i++) {
      text.appendCodePoint(alphabet[random.nextInt(alphabet.length)]);
    }
    return text.toString();
  }
}
