package dev.rewind.autodiff.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Safetensors files: what is written reads back bit for bit, and a damaged or hostile file is a
 * {@link SafetensorsException} naming the file and what is wrong, never a crash or a wrong tensor.
 */
class SafetensorsTest {
  @TempDir Path folder;

  @Test
  void whatIsWrittenReadsBackExactlyInOrderWithItsMetadata() throws IOException {
    Random random = new Random(1);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("layers.0.weightIh", Tensor.randomNormal(Shape.of(3, 8), 0, 1, random));
    tensors.put("scalar", Tensor.scalar(-0.0));
    tensors.put("cube", Tensor.randomNormal(Shape.of(2, 3, 4), 0, 1e300, random));
    tensors.put("special", Tensor.vector(Double.MIN_VALUE, Double.NaN, Double.NEGATIVE_INFINITY));
    tensors.put("empty", Tensor.zeros(0));
    tensors.put("naïve \"quoted\" \\ name\n", Tensor.vector(1, 2));
    Path file = folder.resolve("model.safetensors");

    Safetensors.write(file, tensors, Map.of("format", "rewind", "note", "ünïcode"));
    Safetensors.Contents contents = Safetensors.readContents(file);

    assertEquals(List.copyOf(tensors.keySet()), contents.tensors().keySet().asList());
    for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
      assertEquals(entry.getValue(), contents.tensors().get(entry.getKey()), entry.getKey());
    }
    assertEquals(ImmutableMap.of("format", "rewind", "note", "ünïcode"), contents.metadata());
    assertEquals(0, (Files.size(file) - 8 - headerLength(file)) % 8);
    assertEquals(0, (8 + headerLength(file)) % 8, "the data starts 8-byte aligned");
  }

  @Test
  void writingReplacesAnExistingFileAndLeavesNoTemporaryFileBehind() throws IOException {
    Path file = folder.resolve("weights.safetensors");
    Safetensors.write(file, Map.of("a", Tensor.vector(1, 2, 3)));

    Safetensors.write(file, Map.of("b", Tensor.vector(4)));

    assertEquals(Map.of("b", Tensor.vector(4)), Safetensors.read(file));
    try (Stream<Path> files = Files.list(folder)) {
      assertEquals(List.of(file), files.toList());
    }
  }

  @Test
  void f32IsReadAsFloat32AndF64AsFloat64() throws IOException {
    ByteBuffer data = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
    data.putDouble(0.1).putFloat(0.1f).putFloat(-2.5f).putFloat(Float.MAX_VALUE);
    Path file =
        file(
            "{\"d\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]},"
                + "\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[8,20]}}",
            data.array());

    ImmutableMap<String, Tensor> tensors = Safetensors.read(file);

    assertEquals(Tensor.vector(0.1), tensors.get("d"));
    assertEquals(Tensor.ofFloats(Shape.of(3), 0.1f, -2.5f, Float.MAX_VALUE), tensors.get("x"));
    assertEquals(DType.FLOAT32, tensors.get("x").dtype());
  }

  @Test
  void float32TensorsReadBackBitForBit() throws IOException {
    Random random = new Random(2);
    float[] values = new float[64];
    for (int i = 0; i < values.length; i++) {
      values[i] = Float.intBitsToFloat(random.nextInt());
    }
    float[] special = {
      -0.0f,
      Float.MIN_VALUE,
      Float.MAX_VALUE,
      Float.NEGATIVE_INFINITY,
      Float.intBitsToFloat(0x7fc00123)
    };
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("random", Tensor.ofFloats(Shape.of(4, 16), values));
    tensors.put("special", Tensor.ofFloats(Shape.of(special.length), special));
    tensors.put("scalar", Tensor.ofFloats(Shape.SCALAR, 0.1f));
    tensors.put("empty", Tensor.zeros(Shape.of(0, 3), DType.FLOAT32));
    Path file = folder.resolve("float32.safetensors");

    Safetensors.write(file, tensors);
    ImmutableMap<String, Tensor> read = Safetensors.read(file);

    assertEquals(List.copyOf(tensors.keySet()), read.keySet().asList());
    for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
      Tensor back = read.get(entry.getKey());
      assertEquals(entry.getValue().shape(), back.shape(), entry.getKey());
      assertEquals(DType.FLOAT32, back.dtype(), entry.getKey());
      assertEquals(
          rawBits(entry.getValue().toFloatArray()), rawBits(back.toFloatArray()), entry.getKey());
    }
    assertEquals(8 + headerLength(file) + 4L * (64 + special.length + 1), Files.size(file));
  }

  @Test
  void aFileIsWrittenInEachTensorsDtypeAndEveryTensorStartsAlignedToItsElement()
      throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("w", Tensor.ofFloats(Shape.of(3), 1.5f, -2f, 0.1f));
    tensors.put("b", Tensor.vector(0.25, -0.1));
    tensors.put("s", Tensor.ofFloats(Shape.SCALAR, 3f));
    Path file = folder.resolve("mixed.safetensors");
    String header =
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[16,28]},"
            + "\"b\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]},"
            + "\"s\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[28,32]}}";
    // The F64 tensor first, then the F32 ones in the map's order: 0.25, -0.1, 1.5, -2, 0.1, 3.
    ByteBuffer data = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
    data.putDouble(0.25).putDouble(-0.1).putFloat(1.5f).putFloat(-2f).putFloat(0.1f).putFloat(3f);

    Safetensors.write(file, tensors);

    assertEquals(
        Arrays.toString(Files.readAllBytes(file(header, data.array()))),
        Arrays.toString(Files.readAllBytes(file)));
    assertEquals(tensors, Safetensors.read(file));
    assertEquals(
        ImmutableMap.of("w", DType.FLOAT32, "b", DType.FLOAT64, "s", DType.FLOAT32),
        Safetensors.readHeader(file).dtypes());
  }

  @Test
  void aTruncatedFileIsRejected() throws IOException {
    Path good = folder.resolve("good.safetensors");
    Safetensors.write(good, Map.of("w", Tensor.ones(4, 4)));
    byte[] bytes = Files.readAllBytes(good);
    Path file = folder.resolve("cut.safetensors");
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 3));

    String message = problem(file);

    assertEquals(
        file + ": tensor 'w' has data_offsets [0, 128] outside the 125 bytes of data", message);
  }

  @Test
  void aFileTooShortForTheHeaderLengthIsRejected() throws IOException {
    Path file = folder.resolve("short.safetensors");
    Files.write(file, new byte[] {1, 2, 3});

    assertEquals(
        file + ": the file has 3 bytes, too few for the 8-byte header length", problem(file));
  }

  @Test
  void aHeaderLengthBeyondTheFileIsRejected() throws IOException {
    Path file = raw(1000, "{}".getBytes(StandardCharsets.UTF_8));

    assertEquals(
        file
            + ": the header length 1000 is larger than the 2 bytes that follow it: the file is"
            + " truncated or not safetensors",
        problem(file));
  }

  @Test
  void aHeaderLengthBeyondTheLimitIsRejectedBeforeAnythingIsRead() throws IOException {
    Path huge = raw(Safetensors.MAX_HEADER_BYTES + 1, new byte[0]);
    Path negative = raw(-1, new byte[0]);

    assertEquals(
        huge + ": the header length 100000001 exceeds the limit of 100000000 bytes", problem(huge));
    assertEquals(
        negative + ": the header length 18446744073709551615 exceeds the limit of 100000000 bytes",
        problem(negative));
  }

  @Test
  void offsetsOutsideTheDataAreRejected() throws IOException {
    Path file =
        file("{\"w\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[8,24]}}", new byte[16]);

    assertEquals(
        file + ": tensor 'w' has data_offsets [8, 24] outside the 16 bytes of data", problem(file));
  }

  @Test
  void overlappingTensorsAreRejected() throws IOException {
    Path file =
        file(
            "{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[8,24]}}",
            new byte[24]);

    assertEquals(file + ": tensors 'a' [0, 16] and 'b' [8, 24] overlap", problem(file));
  }

  @Test
  void bytesThatBelongToNoTensorAreRejected() throws IOException {
    Path gap =
        file(
            "{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[16,24]}}",
            new byte[24]);
    Path trailing =
        file("{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", new byte[12]);

    assertEquals(
        gap + ": bytes [8, 16) of the data belong to no tensor (before 'b')", problem(gap));
    assertEquals(
        trailing
            + ": the data holds 12 bytes but the tensors account for 8: the file is truncated,"
            + " padded or not safetensors",
        problem(trailing));
  }

  @Test
  void aDtypeAndShapeThatDisagreeWithTheByteCountAreRejected() throws IOException {
    Path file =
        file("{\"W\":{\"dtype\":\"F64\",\"shape\":[2,3],\"data_offsets\":[0,40]}}", new byte[40]);
    Path float32 =
        file("{\"W\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,48]}}", new byte[48]);

    assertEquals(
        file
            + ": tensor 'W' is F64 of shape [2, 3], which needs 48 bytes, but its data_offsets"
            + " [0, 40] hold 40",
        problem(file));
    assertEquals(
        float32
            + ": tensor 'W' is F32 of shape [2, 3], which needs 24 bytes, but its data_offsets"
            + " [0, 48] hold 48",
        problem(float32));
  }

  @Test
  void duplicateNamesAreRejected() throws IOException {
    Path file =
        file(
            "{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]},"
                + "\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]}}",
            new byte[16]);

    String message = problem(file);

    assertTrue(
        message.startsWith(file + ": the header is not valid JSON: duplicate key \"a\""), message);
  }

  @Test
  void unsupportedDtypesAndMalformedFieldsAreRejectedByName() throws IOException {
    Path int64 =
        file("{\"ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", new byte[8]);
    Path half =
        file("{\"h\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]}}", new byte[8]);
    Path lowercase =
        file("{\"f\":{\"dtype\":\"f32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]);
    Path fraction =
        file("{\"w\":{\"dtype\":\"F64\",\"shape\":[1.5],\"data_offsets\":[0,8]}}", new byte[8]);
    Path negative =
        file("{\"w\":{\"dtype\":\"F64\",\"shape\":[-1],\"data_offsets\":[0,8]}}", new byte[8]);
    Path noShape = file("{\"w\":{\"dtype\":\"F64\",\"data_offsets\":[0,8]}}", new byte[8]);
    Path metadata = file("{\"__metadata__\":{\"epoch\":3}}", new byte[0]);

    assertEquals(
        int64 + ": tensor 'ids' has dtype I64; only F64 and F32 can be read", problem(int64));
    assertEquals(half + ": tensor 'h' has dtype F16; only F64 and F32 can be read", problem(half));
    assertEquals(
        lowercase + ": tensor 'f' has dtype f32; only F64 and F32 can be read", problem(lowercase));
    assertEquals(
        fraction + ": tensor 'w' has shape [1.5]: not all non-negative integers",
        problem(fraction));
    assertEquals(
        negative + ": tensor 'w' has shape [-1]: not all non-negative integers", problem(negative));
    assertEquals(noShape + ": tensor 'w' has no shape array", problem(noShape));
    assertEquals(metadata + ": __metadata__ value of 'epoch' is not a string", problem(metadata));
  }

  @Test
  void aDimensionBeyondAnIntIsRejectedEvenWhenAnotherIsZero() throws IOException {
    Path wraps =
        file(
            "{\"w\":{\"dtype\":\"F64\",\"shape\":[0,4294967296],\"data_offsets\":[0,0]}}",
            new byte[0]);
    Path negative =
        file(
            "{\"w\":{\"dtype\":\"F64\",\"shape\":[0,3000000000],\"data_offsets\":[0,0]}}",
            new byte[0]);

    assertEquals(
        wraps + ": tensor 'w' has shape [0, 4294967296]: dimension 1 is too large", problem(wraps));
    assertEquals(
        negative + ": tensor 'w' has shape [0, 3000000000]: dimension 1 is too large",
        problem(negative));
  }

  @Test
  void theStreamWriterWritesTheBytesOfTheFileWriter() throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("w", Tensor.matrix(new double[][] {{1, 2}, {3, 4}}));
    tensors.put("h", Tensor.ofFloats(Shape.of(3), 1, 2, 3));
    tensors.put("b", Tensor.vector(-0.5));
    Path file = folder.resolve("file.safetensors");
    Safetensors.write(file, tensors, Map.of("k", "v"));
    ByteArrayOutputStream stream = new ByteArrayOutputStream();

    Safetensors.write(stream, tensors, Map.of("k", "v"));

    assertTrue(Arrays.equals(Files.readAllBytes(file), stream.toByteArray()));
  }

  @Test
  void aHeaderThatIsNotJsonIsRejected() throws IOException {
    Path notObject = file("[1, 2]", new byte[0]);
    Path broken = file("{\"w\": {\"dtype\": \"F64\",", new byte[0]);
    Path deep = file("{\"w\":" + "[".repeat(100) + "]".repeat(100) + "}", new byte[0]);
    Path latin1 = raw(2, new byte[] {'{', (byte) 0xE9});

    assertEquals(notObject + ": the header does not start with '{'", problem(notObject));
    assertTrue(problem(broken).startsWith(broken + ": the header is not valid JSON"));
    assertTrue(problem(deep).contains("nesting deeper than 64 levels"), () -> problemOrNull(deep));
    assertEquals(latin1 + ": the header is not valid UTF-8", problem(latin1));
  }

  @Test
  void namesThatCannotBeWrittenAreRefused() {
    Path file = folder.resolve("bad.safetensors");

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Safetensors.write(file, Map.of("__metadata__", Tensor.zeros(1))));

    assertEquals(
        "safetensors: " + file + ": a tensor may not be named '__metadata__'", e.getMessage());
  }

  /** A file made of an 8-byte length, the header (padded to 8 bytes with spaces) and the data. */
  private Path file(String header, byte[] data) throws IOException {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;
    byte[] body = new byte[padded + data.length];
    Arrays.fill(body, 0, padded, (byte) ' ');
    System.arraycopy(json, 0, body, 0, json.length);
    System.arraycopy(data, 0, body, padded, data.length);
    return raw(padded, body);
  }

  /** A file whose first 8 bytes say {@code headerLength}, followed by {@code rest}. */
  private Path raw(long headerLength, byte[] rest) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN);
    bytes.putLong(headerLength).put(rest);
    Path file = Files.createTempFile(folder, "case", ".safetensors");
    Files.write(file, bytes.array());
    return file;
  }

  private static List<Integer> rawBits(float[] values) {
    List<Integer> bits = new java.util.ArrayList<>();
    for (float value : values) {
      bits.add(Float.floatToRawIntBits(value));
    }
    return bits;
  }

  private static long headerLength(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    return ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  private static String problem(Path file) {
    return assertThrows(SafetensorsException.class, () -> Safetensors.read(file)).getMessage();
  }

  private static String problemOrNull(Path file) {
    try {
      Map<String, Tensor> unused = Safetensors.read(file);
      return null;
    } catch (IOException e) {
      return e.getMessage();
    }
  }
}
