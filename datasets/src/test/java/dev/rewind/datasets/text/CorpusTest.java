package dev.rewind.datasets.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rewind.datasets.DatasetException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {
  @TempDir Path folder;

  @Test
  void readsUtf8AsCodePoints() throws IOException {
    Path file = write("corpus.txt", "héllo 😀\n".getBytes(StandardCharsets.UTF_8));

    Corpus corpus = Corpus.read(file);

    assertEquals(8, corpus.length());
    assertEquals("héllo 😀\n", corpus.text());
    assertEquals(0x1F600, corpus.codePointAt(6));
    assertEquals(file.toString(), corpus.name());
  }

  @Test
  void aLeadingByteOrderMarkIsDropped() throws IOException {
    Path file = write("bom.txt", new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'h', 'i'});

    assertEquals("hi", Corpus.read(file).text());
  }

  @Test
  void aMissingFileIsNamed() {
    Path file = folder.resolve("corpus.txt");

    DatasetException e = assertThrows(DatasetException.class, () -> Corpus.read(file));

    assertEquals(file + ": no such file", e.getMessage());
  }

  @Test
  void anEmptyFileIsNamed() throws IOException {
    Path file = write("corpus.txt", new byte[0]);

    DatasetException e = assertThrows(DatasetException.class, () -> Corpus.read(file));

    assertEquals(file + ": the file is empty", e.getMessage());
  }

  @Test
  void aFileHoldingOnlyAByteOrderMarkIsEmpty() throws IOException {
    Path file = write("corpus.txt", new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});

    DatasetException e = assertThrows(DatasetException.class, () -> Corpus.read(file));

    assertEquals(file + ": the file is empty but for a byte-order mark", e.getMessage());
  }

  @Test
  void aDirectoryIsNotAFile() {
    DatasetException e = assertThrows(DatasetException.class, () -> Corpus.read(folder));

    assertEquals(folder + ": is a directory, not a file", e.getMessage());
  }

  @Test
  void latin1TextIsNotUtf8AndTheBadByteIsLocated() throws IOException {
    Path file = write("corpus.txt", "héllo".getBytes(StandardCharsets.ISO_8859_1));

    DatasetException e = assertThrows(DatasetException.class, () -> Corpus.read(file));

    assertEquals(file + ": not valid UTF-8 at byte 1", e.getMessage());
  }

  @Test
  void aBadByteFarIntoTheFileIsLocatedWithThousandsSeparators() throws IOException {
    byte[] bytes = new byte[2000];
    Arrays.fill(bytes, (byte) 'a');
    bytes[1234] = (byte) 0xFF;
    Path file = write("corpus.txt", bytes);

    DatasetException e = assertThrows(DatasetException.class, () -> Corpus.read(file));

    assertEquals(file + ": not valid UTF-8 at byte 1,234", e.getMessage());
  }

  @Test
  void aTruncatedMultiByteCharacterAtTheEndIsLocated() throws IOException {
    Path file = write("corpus.txt", new byte[] {'a', 'b', (byte) 0xE2, (byte) 0x82});

    DatasetException e = assertThrows(DatasetException.class, () -> Corpus.read(file));

    assertEquals(file + ": not valid UTF-8 at byte 2", e.getMessage());
  }

  @Test
  void splitIsContiguousTrainingFirst() {
    Corpus corpus = Corpus.of("abc", "abcdefghij");

    CorpusSplit split = corpus.split(0.2);

    assertEquals("abcdefgh", split.training().text());
    assertEquals("ij", split.validation().text());
    assertEquals("abc (training)", split.training().name());
    assertEquals("abc (validation)", split.validation().name());
  }

  @Test
  void aSplitLeavingAnEmptyPartIsNamed() {
    Corpus corpus = Corpus.of("corpus.txt", "abcde");

    DatasetException e = assertThrows(DatasetException.class, () -> corpus.split(0.01));

    assertEquals(
        "corpus.txt: 5 characters cannot be split with a validation fraction of 0.01: the"
            + " validation part would be empty",
        e.getMessage());
  }

  @Test
  void anEmptyTextIsRejected() {
    DatasetException e = assertThrows(DatasetException.class, () -> Corpus.of("notes", ""));

    assertEquals("notes: the text is empty", e.getMessage());
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path file = folder.resolve(name);
    Files.write(file, bytes);
    return file;
  }
}
