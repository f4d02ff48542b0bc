package dev.rewind.layers.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.io.Safetensors;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.StackedCell;
import dev.rewind.layers.gru.GruCell;
import dev.rewind.layers.lstm.LstmCell;
import dev.rewind.layers.lstm.LstmState;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A layer's parameters saved by name load back exactly, and a load that does not fit changes
 * nothing.
 */
class LayerWeightsTest {
  @TempDir Path folder;

  @Test
  void savedParametersLoadIntoAnotherModuleExactly() throws IOException {
    StackedCell<LstmState> saved =
        new StackedCell<>(
            LstmCell.random(3, 4, new Random(1)), LstmCell.random(4, 4, new Random(2)));
    StackedCell<LstmState> loaded =
        new StackedCell<>(
            LstmCell.random(3, 4, new Random(3)), LstmCell.random(4, 4, new Random(4)));
    Path file = folder.resolve("lstm.safetensors");
    assertNotEquals(LayerWeights.values(saved), LayerWeights.values(loaded));

    LayerWeights.save(saved, file);
    LayerWeights.load(loaded, file);

    assertEquals(LayerWeights.values(saved), LayerWeights.values(loaded));
    assertEquals(
        List.of(
            "layers.0.weightIh",
            "layers.0.weightHh",
            "layers.0.biasIh",
            "layers.0.biasHh",
            "layers.1.weightIh",
            "layers.1.weightHh",
            "layers.1.biasIh",
            "layers.1.biasHh"),
        Safetensors.read(file).keySet().asList());
    assertEquals(
        ImmutableMap.of("module", "StackedCell"), Safetensors.readContents(file).metadata());
  }

  @Test
  void aFloat32ModuleIsSavedAsF32AndLoadsBackBitForBit() throws IOException {
    StackedCell<LstmState> saved =
        new StackedCell<>(
            LstmCell.random(3, 4, new Random(1)), LstmCell.random(4, 4, new Random(2)));
    saved.to(DType.FLOAT32);
    StackedCell<LstmState> other =
        new StackedCell<>(
            LstmCell.random(3, 4, new Random(3)), LstmCell.random(4, 4, new Random(4)));
    other.to(DType.FLOAT32);
    Path file = folder.resolve("lstm32.safetensors");

    LayerWeights.save(saved, file);
    LayerWeights.load(other, file);

    assertEquals(LayerWeights.values(saved), LayerWeights.values(other));
    assertEquals(DType.FLOAT32, other.dtype());
    assertEquals(
        List.of(DType.FLOAT32),
        Safetensors.readHeader(file).dtypes().values().stream().distinct().toList());
    assertEquals(8 + headerLength(file) + 4L * saved.parameterCount(), Files.size(file));
  }

  @Test
  void aFileLoadsIntoTheModulesOwnDtypeAsPyTorchsLoadStateDictDoes() throws IOException {
    GruCell float32 = GruCell.random(2, 3, new Random(1));
    float32.to(DType.FLOAT32);
    GruCell float64 = GruCell.random(2, 3, new Random(2));
    Path float32File = folder.resolve("gru32.safetensors");
    Path float64File = folder.resolve("gru64.safetensors");
    LayerWeights.save(float32, float32File);
    LayerWeights.save(float64, float64File);
    GruCell widened = GruCell.random(2, 3, new Random(3));
    GruCell rounded = GruCell.random(2, 3, new Random(4));
    rounded.to(DType.FLOAT32);

    LayerWeights.load(widened, float32File);
    LayerWeights.load(rounded, float64File);

    assertEquals(DType.FLOAT64, widened.dtype());
    assertEquals(DType.FLOAT32, rounded.dtype());
    for (String name : float32.namedParameters().keySet()) {
      Tensor single = float32.namedParameters().get(name).value();
      Tensor dual = float64.namedParameters().get(name).value();
      assertEquals(single.to(DType.FLOAT64), widened.namedParameters().get(name).value(), name);
      assertEquals(dual.to(DType.FLOAT32), rounded.namedParameters().get(name).value(), name);
    }
  }

  @Test
  void aMissingParameterNamesTheModuleTheParameterAndItsShapeAndChangesNothing()
      throws IOException {
    LstmCell cell = LstmCell.random(3, 4, new Random(1));
    Map<String, Tensor> before = LayerWeights.values(cell);
    Map<String, Tensor> partial =
        new LinkedHashMap<>(LayerWeights.values(LstmCell.random(3, 4, new Random(2))));
    partial.remove("biasHh");
    Path file = folder.resolve("partial.safetensors");
    Safetensors.write(file, partial);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LayerWeights.load(cell, file));

    assertEquals(
        "LstmCell: cannot load file "
            + file
            + ", nothing was changed: parameter 'biasHh' [16] is missing from file "
            + file,
        e.getMessage());
    assertEquals(before, LayerWeights.values(cell));
  }

  @Test
  void aWrongShapeNamesBothShapesAndChangesNothing() throws IOException {
    GruCell cell = GruCell.random(3, 4, new Random(1));
    Map<String, Tensor> before = LayerWeights.values(cell);
    Path file = folder.resolve("other.safetensors");
    LayerWeights.save(GruCell.random(5, 4, new Random(2)), file);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LayerWeights.load(cell, file));

    assertEquals(
        "GruCell: cannot load file "
            + file
            + ", nothing was changed: parameter 'weightIh' has shape [3, 12] where file "
            + file
            + " has [5, 12]",
        e.getMessage());
    // Every other parameter fitted, and still none was assigned.
    assertEquals(before, LayerWeights.values(cell));
  }

  @Test
  void aFileDeclaringHugeTensorsIsRefusedBeforeItsDataIsRead() throws IOException {
    // Two F32 tensors of 2 GiB each, in a sparse file: reading them would allocate 13 GiB.
    String huge = "{\"dtype\":\"F32\",\"shape\":[23170,23170],\"data_offsets\":[%d,%d]}";
    long bytes = 4L * 23170 * 23170;
    String header =
        "{\"weightIh\":"
            + String.format(huge, 0, bytes)
            + ",\"weightHh\":"
            + String.format(huge, bytes, 2 * bytes)
            + "}";
    Path file = sparseSafetensors(header, 2 * bytes);
    LstmCell cell = LstmCell.random(3, 4, new Random(1));
    Map<String, Tensor> before = LayerWeights.values(cell);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LayerWeights.load(cell, file));

    assertTrue(e.getMessage().startsWith("LstmCell: cannot load file " + file), e.getMessage());
    assertTrue(
        e.getMessage()
            .contains(
                "parameter 'weightIh' has shape [3, 16] where file "
                    + file
                    + " has [23170, 23170]"),
        e.getMessage());
    assertEquals(before, LayerWeights.values(cell));
  }

  private static long headerLength(Path file) throws IOException {
    byte[] prefix = new byte[8];
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      in.readFully(prefix);
    }
    return ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  /** A safetensors file of {@code header} whose {@code dataBytes} of data are a hole. */
  private Path sparseSafetensors(String header, long dataBytes) throws IOException {
    byte[] json = header.getBytes(StandardCharsets.US_ASCII);
    Path file = folder.resolve("sparse.safetensors");
    try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
      out.write(json);
      out.setLength(8 + json.length + dataBytes);
    }
    return file;
  }

  @Test
  void everyProblemIsListedAndTensorsThatAreNoParameterAreRejected() {
    GruCell cell = GruCell.random(2, 2, new Random(1));
    Map<String, Tensor> values = new LinkedHashMap<>(LayerWeights.values(cell));
    values.remove("weightIh");
    values.put("weightHh", Tensor.zeros(6, 2));
    values.put("extra", Tensor.zeros(1));

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LayerWeights.assign(cell, values));

    assertEquals(
        "GruCell: cannot load the given map, nothing was changed: parameter 'weightIh' [2, 6] is"
            + " missing from the given map; parameter 'weightHh' has shape [2, 6] where the given"
            + " map has [6, 2]; 'extra' in the given map is not a parameter",
        e.getMessage());
  }

  @Test
  void assigningAMapConvertsEachValueToItsParametersDtype() {
    LstmCell cell = LstmCell.random(1, 2, new Random(1));
    cell.to(DType.FLOAT32);
    Map<String, Tensor> tenths = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> entry : LayerWeights.values(cell).entrySet()) {
      tenths.put(entry.getKey(), Tensor.full(entry.getValue().shape(), 0.1));
    }

    LayerWeights.assign(cell, tenths);

    for (Tensor value : LayerWeights.values(cell).values()) {
      assertEquals(Tensor.full(value.shape(), 0.1).to(DType.FLOAT32), value);
    }
  }

  @Test
  void assigningAMapThatFitsReplacesEveryValue() {
    LstmCell cell = LstmCell.random(1, 1, new Random(1));
    Map<String, Tensor> halves = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> entry : LayerWeights.values(cell).entrySet()) {
      halves.put(entry.getKey(), Tensor.full(entry.getValue().shape(), 0.5));
    }

    LayerWeights.assign(cell, halves);

    assertEquals(halves, LayerWeights.values(cell));
  }
}
