package dev.rewind.autodiff.io;

import static dev.rewind.autodiff.io.HostileFiles.safetensors;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.autodiff.io.HostileFiles.Outcome;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The safetensors reader under attack: random bytes, truncated files, header lengths that lie,
 * headers with wrong dtypes, shapes and offsets, duplicate names, deeply nested and huge JSON,
 * damaged valid files. Every input is read within a few seconds, and either reads or is refused
 * with a {@link SafetensorsException} naming the file: never another exception, never an {@link
 * OutOfMemoryError}, never a hang.
 */
class SafetensorsHostileFilesProperties {
  private static Path folder;

  @BeforeContainer
  static void createTheFolder() throws IOException {
    folder = Files.createTempDirectory("hostile-safetensors");
  }

  @AfterContainer
  static void deleteTheFolderAndReport() throws IOException {
    HostileFiles.deleteRecursively(folder);
    HostileInputs.count(0);
  }

  private static Outcome read(byte[] bytes) {
    return HostileFiles.read(
        HostileFiles.write(folder, bytes),
        SafetensorsException.class,
        file -> {
          for (Tensor tensor : Safetensors.readContents(file).tensors().values()) {
            assertEquals(tensor.shape().size(), tensor.size());
          }
        });
  }

  @Property(tries = 300)
  void randomBytesAreRefused(@ForAll @Size(max = 2048) byte[] bytes) {
    assertEquals(Outcome.REFUSED, read(bytes));
  }

  @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
  void randomBytesAfterAPlausibleHeaderLengthAreRefused(
      @ForAll @IntRange(min = 0, max = 600) int headerLength,
      @ForAll @Size(max = 600) byte[] rest) {
    byte[] bytes =
        ByteBuffer.allocate(8 + rest.length)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putLong(headerLength)
            .put(rest)
            .array();
    assertEquals(Outcome.REFUSED, read(bytes));
  }

  @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
  void everyTruncationOfAValidFileIsRefused(
      @ForAll("validFiles") byte[] valid, @ForAll @IntRange(min = 0, max = 9_999) int cut) {
    assertEquals(Outcome.REFUSED, read(Arrays.copyOf(valid, cut % valid.length)));
  }

  @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
  void aHeaderLengthThatLiesIsRefused(
      @ForAll("validFiles") byte[] valid, @ForAll("headerLengths") long headerLength) {
    long actual = ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN).getLong();
    byte[] lying = valid.clone();
    ByteBuffer.wrap(lying).order(ByteOrder.LITTLE_ENDIAN).putLong(headerLength);

    assertEquals(headerLength == actual ? Outcome.READ : Outcome.REFUSED, read(lying));
  }

  @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
  void craftedHeadersReadOrAreRefused(
      @ForAll("craftedEntries") List<String> entries,
      @ForAll @IntRange(min = 0, max = 96) int dataLength) {
    String header = "{" + String.join(",", entries) + "}";
    Outcome unused = read(safetensors(header, new byte[dataLength]));
  }

  @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
  void aShapeThatDisagreesWithTheByteCountIsRefused(
      @ForAll("dims") List<Long> shape,
      @ForAll("dtypes") String dtype,
      @ForAll @IntRange(min = 0, max = 64) int bytes) {
    long elements = 1;
    boolean tooLarge = false;
    for (long dim : shape) {
      tooLarge |= dim > Integer.MAX_VALUE;
      elements = tooLarge ? 0 : elements * dim;
    }
    int width = dtype.equals("\"F32\"") ? 4 : 8;
    String header =
        "{\"t\":{\"dtype\":"
            + dtype
            + ",\"shape\":"
            + shape
            + ",\"data_offsets\":[0,"
            + bytes
            + "]}}";
    Outcome outcome = read(safetensors(header, new byte[bytes]));

    boolean consistent =
        (dtype.equals("\"F64\"") || dtype.equals("\"F32\""))
            && !tooLarge
            && elements * width == bytes;
    assertEquals(consistent ? Outcome.READ : Outcome.REFUSED, outcome);
  }

  @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
  void offsetsThatAreNegativeOverlappingOrOutOfRangeAreRefused(
      @ForAll("offsetPairs") List<long[]> offsets) {
    StringBuilder header = new StringBuilder("{");
    long dataEnd = 0;
    for (int i = 0; i < offsets.size(); i++) {
      long[] pair = offsets.get(i);
      header
          .append(i == 0 ? "" : ",")
          .append("\"t")
          .append(i)
          .append("\":{\"dtype\":\"F64\",")
          .append("\"shape\":[1],\"data_offsets\":[")
          .append(pair[0])
          .append(',')
          .append(pair[1])
          .append("]}");
      dataEnd = Math.max(dataEnd, Math.max(0, Math.min(pair[1], 64)));
    }
    header.append('}');
    Outcome outcome = read(safetensors(header.toString(), new byte[(int) dataEnd]));

    assertEquals(tiles(offsets, dataEnd) ? Outcome.READ : Outcome.REFUSED, outcome);
  }

  @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
  void duplicateNamesAreRefused(
      @ForAll("names") String name, @ForAll @IntRange(min = 0, max = 3) int between) {
    StringBuilder header = new StringBuilder("{");
    header.append(entry(name, 0));
    for (int i = 0; i < between; i++) {
      header.append(',').append(entry("other" + i, 8 * (i + 1)));
    }
    header.append(',').append(entry(name, 8 * (between + 1))).append('}');

    assertEquals(
        Outcome.REFUSED, read(safetensors(header.toString(), new byte[8 * (between + 2)])));
  }

  @Property(tries = 60, edgeCases = EdgeCasesMode.NONE)
  void deeplyNestedJsonIsRefusedWithoutOverflowingTheStack(
      @ForAll @IntRange(min = 1, max = 200_000) int depth, @ForAll boolean arrays) {
    String open = arrays ? "[" : "{\"k\":";
    String close = arrays ? "]" : "}";
    String header = "{\"t\":" + open.repeat(depth) + "1" + close.repeat(depth) + "}";

    assertEquals(Outcome.REFUSED, read(safetensors(header, new byte[0])));
  }

  @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
  void damagedValidFilesReadOrAreRefused(
      @ForAll("validFiles") byte[] valid,
      @ForAll @IntRange(min = 1, max = 8) int damage,
      @ForAll long seed) {
    Random random = new Random(seed);
    byte[] damaged = valid.clone();
    for (int i = 0; i < damage; i++) {
      damaged[random.nextInt(damaged.length)] ^= (byte) (1 + random.nextInt(255));
    }
    Outcome unused = read(damaged);
  }

  @Example
  void hugeJsonIsReadOrRefusedInTime() {
    int entries = 20_000;
    StringBuilder header = new StringBuilder("{\"__metadata__\":{\"pad\":\"");
    header.append("x".repeat(1_000_000)).append("\"}");
    for (int i = 0; i < entries; i++) {
      header
          .append(",\"tensor")
          .append(i)
          .append("\":{\"dtype\":\"F64\",\"shape\":[0],")
          .append("\"data_offsets\":[0,0]}");
    }
    String valid = header + "}";
    String broken = header + ",\"last\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,9]}}";

    assertEquals(Outcome.READ, read(safetensors(valid, new byte[0])));
    assertEquals(Outcome.REFUSED, read(safetensors(broken, new byte[0])));
  }

  @Example
  void aHeaderLengthAboveTheBoundIsRefusedBeforeAnythingIsRead() {
    byte[] bytes = safetensors(Safetensors.MAX_HEADER_BYTES + 1, "{}", new byte[0]);

    assertEquals(Outcome.REFUSED, read(bytes));
  }

  @Example
  void hugeDimensionsAreRefusedNotWrapped() {
    for (String shape :
        List.of(
            "[0,4294967296]",
            "[0,3000000000]",
            "[2,4611686018427387904]",
            "[65536,65536]",
            "[2147483647,100000000000000000]")) {
      String header = "{\"t\":{\"dtype\":\"F64\",\"shape\":" + shape + ",\"data_offsets\":[0,0]}}";
      assertEquals(Outcome.REFUSED, read(safetensors(header, new byte[0])), shape);
    }
  }

  private static String entry(String name, int begin) {
    return "\""
        + name
        + "\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":["
        + begin
        + ","
        + (begin + 8)
        + "]}";
  }

  /** Whether the ranges, all of one F64 element, tile [0, dataEnd) exactly. */
  private static boolean tiles(List<long[]> offsets, long dataEnd) {
    List<long[]> sorted = offsets.stream().sorted((a, b) -> Long.compare(a[0], b[0])).toList();
    long covered = 0;
    for (long[] pair : sorted) {
      if (pair[0] != covered || pair[1] != pair[0] + 8) {
        return false;
      }
      covered = pair[1];
    }
    return covered == dataEnd;
  }

  @Provide
  Arbitrary<byte[]> validFiles() {
    Arbitrary<String> names =
        Arbitraries.strings().withChars("abc.0123_").ofMinLength(1).ofMaxLength(12);
    Arbitrary<Shape> shapes =
        Arbitraries.integers()
            .between(0, 4)
            .list()
            .ofMaxSize(3)
            .map(dims -> Shape.of(dims.stream().mapToInt(Integer::intValue).toArray()));
    Arbitrary<Map<String, Shape>> layouts = Arbitraries.maps(names, shapes).ofMaxSize(4);
    Arbitrary<Map<String, String>> metadata =
        Arbitraries.maps(names, Arbitraries.strings().ofMaxLength(20)).ofMaxSize(2);
    return Combinators.combine(layouts, metadata, Arbitraries.longs())
        .as(SafetensorsHostileFilesProperties::validFile);
  }

  /** A file of both dtypes: each tensor is float32 or float64 at random. */
  private static byte[] validFile(
      Map<String, Shape> layout, Map<String, String> metadata, long seed) {
    Random random = new Random(seed);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    layout.forEach(
        (name, shape) -> {
          Tensor tensor = Tensor.randomNormal(shape, 0, 1, random);
          tensors.put(name, random.nextBoolean() ? tensor.to(DType.FLOAT32) : tensor);
        });
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      Safetensors.write(out, tensors, metadata);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out.toByteArray();
  }

  @Provide
  Arbitrary<Long> headerLengths() {
    return Arbitraries.oneOf(
        Arbitraries.longs(),
        Arbitraries.longs().between(-16, 4096),
        Arbitraries.of(
            -1L,
            Long.MIN_VALUE,
            Long.MAX_VALUE,
            Safetensors.MAX_HEADER_BYTES,
            Safetensors.MAX_HEADER_BYTES + 1,
            1L << 32,
            0L));
  }

  @Provide
  Arbitrary<String> dtypes() {
    return Arbitraries.of(
        "\"F64\"",
        "\"F32\"",
        "\"F16\"",
        "\"BF16\"",
        "\"I64\"",
        "\"U8\"",
        "\"\"",
        "\"f64\"",
        "64",
        "null",
        "[\"F64\"]",
        "{}");
  }

  @Provide
  Arbitrary<List<Long>> dims() {
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(8, Arbitraries.longs().between(0, 4)),
            net.jqwik.api.Tuple.of(
                1,
                Arbitraries.of(
                    (long) Integer.MAX_VALUE,
                    1L << 31,
                    1L << 32,
                    1L << 62,
                    999_999_999_999_999_999L)))
        .list()
        .ofMaxSize(4);
  }

  @Provide
  Arbitrary<List<long[]>> offsetPairs() {
    Arbitrary<Long> offset =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, Arbitraries.longs().between(0, 6).map(k -> 8 * k)),
            net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(-24, 72)),
            net.jqwik.api.Tuple.of(
                1, Arbitraries.of(Long.MAX_VALUE, 999_999_999_999_999_999L, -1L << 40)));
    Arbitrary<long[]> pair =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, offset.map(begin -> new long[] {begin, begin + 8})),
            net.jqwik.api.Tuple.of(
                1, Combinators.combine(offset, offset).as((a, b) -> new long[] {a, b})));
    return pair.list().ofMinSize(1).ofMaxSize(4);
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8);
  }

  @Provide
  Arbitrary<List<String>> craftedEntries() {
    Arbitrary<String> name = Arbitraries.of("a", "b", "w", "x.y", "__metadata__", "");
    Arbitrary<String> dtype = dtypes();
    Arbitrary<String> shape =
        Arbitraries.oneOf(
            dims().map(List::toString),
            Arbitraries.of(
                "[-1]", "[1.5]", "[\"2\"]", "2", "null", "[[1]]", "[]", "[18446744073709551616]"));
    Arbitrary<String> offsets =
        Arbitraries.oneOf(
            offsetPairs().map(pairs -> "[" + pairs.get(0)[0] + "," + pairs.get(0)[1] + "]"),
            Arbitraries.of(
                "[0]",
                "[0,8,16]",
                "[]",
                "\"0,8\"",
                "[8,0]",
                "[-8,0]",
                "null",
                "[0.0,8.0]",
                "[0,1e3]"));
    Arbitrary<String> entry =
        Combinators.combine(name, dtype, shape, offsets)
            .as(
                (n, d, s, o) ->
                    "\""
                        + n
                        + "\":{\"dtype\":"
                        + d
                        + ",\"shape\":"
                        + s
                        + ",\"data_offsets\":"
                        + o
                        + "}");
    Arbitrary<String> metadata =
        Arbitraries.of(
            "\"__metadata__\":{\"k\":\"v\"}",
            "\"__metadata__\":{\"k\":1}",
            "\"__metadata__\":[]",
            "\"__metadata__\":{\"k\":\"v\",\"k\":\"w\"}");
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(9, entry), net.jqwik.api.Tuple.of(1, metadata))
        .list()
        .ofMaxSize(5)
        .map(list -> list.stream().collect(Collectors.toList()));
  }
}
