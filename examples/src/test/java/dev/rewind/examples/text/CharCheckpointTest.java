package dev.rewind.examples.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rewind.datasets.text.Vocabulary;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading a character model reads only what a file declares until the declaration has been checked:
 * sparse files declaring tensors of gigabytes, whose data was never written, are refused in one
 * line naming the file, never with an {@link OutOfMemoryError}.
 */
class CharCheckpointTest {
  private static final Vocabulary VOCABULARY = Vocabulary.of("abcdefgh");

  @Test
  void aFileDeclaringOneHugeTensorIsRefusedBeforeItsDataIsRead(@TempDir Path folder)
      throws IOException {
    // 23170² F32 values: 2 GB of data, 4 GB once widened to double.
    Path file = folder.resolve("huge.safetensors");
    Map<String, int[]> declared = new LinkedHashMap<>();
    declared.put("readout.weight", new int[] {23170, 23170});

    String refusal = refusal(file, declared);
    assertTrue(refusal.startsWith(file + ": not a character model"), refusal);
    assertTrue(refusal.contains("'cell.weightHh'"), refusal);
    assertFalse(refusal.contains("\n"), refusal);
  }

  @Test
  void aTensorThatIsNoMatrixIsNamed(@TempDir Path folder) throws IOException {
    Path file = folder.resolve("vector.safetensors");
    Map<String, int[]> declared = new LinkedHashMap<>();
    declared.put("readout.weight", new int[] {23170 * 23170});

    assertEquals(
        file + ": not a character model: 'readout.weight' [536848900] is not a matrix",
        refusal(file, declared));
  }

  @Test
  void aWholeModelLargerThanTheHeapIsRefusedBeforeItIsBuilt(@TempDir Path folder)
      throws IOException {
    // A GRU reading embeddings as wide as its state, its two weight matrices as large as a
    // safetensors tensor can be (2 GB of F32): 8.6 GB as doubles, and as much again to load.
    int hidden = 13_377;
    int symbols = VOCABULARY.size();
    Path file = folder.resolve("gru.safetensors");
    Map<String, int[]> declared = new LinkedHashMap<>();
    declared.put("embedding", new int[] {symbols, hidden});
    declared.put("cell.weightIh", new int[] {hidden, 3 * hidden});
    declared.put("cell.weightHh", new int[] {hidden, 3 * hidden});
    declared.put("cell.biasIh", new int[] {3 * hidden});
    declared.put("cell.biasHh", new int[] {3 * hidden});
    declared.put("readout.weight", new int[] {hidden, symbols});
    declared.put("readout.bias", new int[] {symbols});
    assumeTrue(
        Runtime.getRuntime().maxMemory() < 16L * 2 * hidden * 3 * hidden,
        "the heap can hold this model");

    String refusal = refusal(file, declared);
    assertTrue(refusal.startsWith(file + ": declares a model of "), refusal);
    assertTrue(refusal.contains("'cell.weightIh'"), refusal);
    assertTrue(refusal.contains("-Xmx"), refusal);
  }

  /**
   * Why loading is refused: {@code file} declares {@code shapes} (see {@link #writeSparse}) and has
   * a vocabulary of {@link #VOCABULARY}.
   */
  private static String refusal(Path file, Map<String, int[]> shapes) throws IOException {
    writeSparse(file, shapes);
    VOCABULARY.save(CharCheckpoint.vocabularyFile(file));
    return assertThrows(IllegalArgumentException.class, () -> CharCheckpoint.load(file))
        .getMessage();
  }

  /**
   * A safetensors file declaring F32 tensors of these shapes, its length set to hold their data
   * without writing it: a sparse file, a few bytes on disk.
   */
  private static void writeSparse(Path file, Map<String, int[]> shapes) throws IOException {
    StringBuilder json = new StringBuilder("{");
    long offset = 0;
    for (Map.Entry<String, int[]> entry : shapes.entrySet()) {
      long elements = 1;
      StringBuilder dims = new StringBuilder();
      for (int dim : entry.getValue()) {
        elements *= dim;
        dims.append(dims.length() == 0 ? "" : ",").append(dim);
      }
      long end = offset + Float.BYTES * elements;
      json.append(json.length() == 1 ? "" : ",")
          .append('"')
          .append(entry.getKey())
          .append("\":{\"dtype\":\"F32\",\"shape\":[")
          .append(dims)
          .append("],\"data_offsets\":[")
          .append(offset)
          .append(',')
          .append(end)
          .append("]}");
      offset = end;
    }
    byte[] header = json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
      out.write(
          ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
      out.write(header);
      out.setLength(8 + header.length + offset);
    }
  }
}
