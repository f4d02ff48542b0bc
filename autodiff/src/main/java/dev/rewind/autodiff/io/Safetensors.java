package dev.rewind.autodiff.io;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes tensors in the safetensors format of the PyTorch ecosystem (Hugging Face's
 * {@code safetensors}):
 *
 * <pre>
 *   8 bytes   N, the header length, an unsigned little-endian integer
 *   N bytes   a UTF-8 JSON object: {"name": {"dtype": "F64", "shape": [2, 3],
 *             "data_offsets": [begin, end]}, ..., "__metadata__": {"key": "value"}}
 *   the rest  the tensors' bytes, little-endian, row-major; offsets count from here
 * </pre>
 *
 * <p>Each tensor keeps its {@link DType}: a float64 tensor is written as {@code F64} and a float32
 * one as {@code F32}, and {@link #read} gives back a float64 tensor for {@code F64} and a float32
 * one for {@code F32}, bit for bit. {@link #write} writes atomically: to a temporary file in the
 * same folder, forced to disk, then renamed over the target, so a crash leaves the old file or the
 * new one, never half of one. The header lists the tensors in the map's order; their data holds the
 * {@code F64} tensors first, then the {@code F32} ones, so that every tensor starts at a multiple
 * of its element's size, as Hugging Face's writer lays them out (a file of one dtype is in the
 * map's order throughout).
 *
 * <p>{@link #read} reads F64 and F32, no other dtype, and trusts nothing in the file: the header
 * length must fit in the file and be at most {@link #MAX_HEADER_BYTES} (100 MB), the header must be
 * valid JSON without duplicate names, every dtype and shape must account for exactly its byte
 * range, and the ranges must lie in the file and tile the data without overlap or gap, as the
 * format's specification demands. A file that breaks a rule is a {@link SafetensorsException}
 * naming the file, the tensor and the rule.
 */
public final class Safetensors {
  /** The largest header {@link #read} accepts: 100 MB, as Hugging Face's reader. */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  static final String METADATA = "__metadata__";

  private Safetensors() {}

  /** What a file holds: its tensors in the header's order, and its free-form metadata. */
  public record Contents(
      ImmutableMap<String, Tensor> tensors, ImmutableMap<String, String> metadata) {}

  /** Writes {@code tensors}, each in its dtype, in the map's order, without metadata. */
  public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
    write(file, tensors, Map.of());
  }

  /**
   * Writes {@code tensors}, each in its dtype, in the map's order, with string {@code metadata}.
   */
  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    checkNames(file, tensors);
    AtomicWrite.write(file, out -> write(out, tensors, metadata));
  }

  /**
   * Writes the bytes of a safetensors file holding {@code tensors}, each in its dtype, in the map's
   * order, with string {@code metadata}, to {@code out}, which is flushed but not closed. Nothing
   * is atomic here: this is for callers that manage their own files, such as checkpoints.
   */
  public static void write(
      OutputStream out, Map<String, Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    checkNames("an output stream", tensors);
    List<Placed> data = placed(tensors);
    byte[] header = header(tensors, data, metadata);
    ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    out.write(length.putLong(header.length).array());
    out.write(header);
    for (Placed placed : data) {
      out.write(bytes(placed.tensor()));
    }
    out.flush();
  }

  /** A tensor and the byte range its data takes. */
  private record Placed(String name, Tensor tensor, long begin, long end) {}

  /**
   * The tensors in the order their data is written: the float64 ones, then the float32 ones, each
   * in the map's order, so that every tensor starts at a multiple of its element's size.
   */
  private static List<Placed> placed(Map<String, Tensor> tensors) {
    List<Placed> placed = new ArrayList<>();
    long offset = 0;
    for (DType dtype : List.of(DType.FLOAT64, DType.FLOAT32)) {
      for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
        Tensor tensor = entry.getValue();
        if (tensor.dtype() == dtype) {
          long end = offset + (long) dtype.bytes() * tensor.size();
          placed.add(new Placed(entry.getKey(), tensor, offset, end));
          offset = end;
        }
      }
    }
    return placed;
  }

  /** The tensor's elements, little-endian, in its dtype. */
  private static byte[] bytes(Tensor tensor) {
    ByteBuffer data =
        ByteBuffer.allocate(tensor.dtype().bytes() * tensor.size()).order(ByteOrder.LITTLE_ENDIAN);
    if (tensor.dtype() == DType.FLOAT32) {
      data.asFloatBuffer().put(tensor.toFloatArray());
    } else {
      data.asDoubleBuffer().put(tensor.toArray());
    }
    return data.array();
  }

  private static void checkNames(Object destination, Map<String, Tensor> tensors) {
    for (String name : tensors.keySet()) {
      checkArgument(
          !name.isEmpty() && !name.equals(METADATA),
          "safetensors: %s: a tensor may not be named '%s'",
          destination,
          name);
    }
  }

  /** The tensors of {@code file}, in the header's order: F64 as float64, F32 as float32. */
  public static ImmutableMap<String, Tensor> read(Path file) throws IOException {
    return readContents(file).tensors();
  }

  /** The tensors and metadata of {@code file}, validated as the class Javadoc describes. */
  public static Contents readContents(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      Located located = header(file, channel);
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      for (SafetensorsHeader.Entry entry : located.header().entries()) {
        long begin = located.dataStart() + entry.begin();
        ByteBuffer bytes = readFully(file, channel, begin, (int) (entry.end() - entry.begin()));
        tensors.put(entry.name(), entry.decode(bytes));
      }
      return new Contents(ImmutableMap.copyOf(tensors), located.header().metadata());
    }
  }

  /**
   * What a file declares, without its data: every tensor's shape and dtype by name, in the header's
   * order, and its metadata.
   */
  public record Header(
      ImmutableMap<String, Shape> shapes,
      ImmutableMap<String, DType> dtypes,
      ImmutableMap<String, String> metadata) {}

  /**
   * The tensors' names, shapes and dtypes and the metadata of {@code file}, validated as {@link
   * #readContents} validates them, without reading (or allocating) any tensor's data: compare them
   * with what you expect before reading a file that may declare more than you want to hold.
   */
  public static Header readHeader(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      SafetensorsHeader header = header(file, channel).header();
      ImmutableMap.Builder<String, Shape> shapes = ImmutableMap.builder();
      ImmutableMap.Builder<String, DType> dtypes = ImmutableMap.builder();
      for (SafetensorsHeader.Entry entry : header.entries()) {
        shapes.put(entry.name(), entry.shape());
        dtypes.put(entry.name(), entry.dtype());
      }
      return new Header(shapes.buildOrThrow(), dtypes.buildOrThrow(), header.metadata());
    }
  }

  /** A validated header and where the data after it starts. */
  private record Located(SafetensorsHeader header, long dataStart) {}

  private static Located header(Path file, FileChannel channel) throws IOException {
    long size = channel.size();
    if (size < 8) {
      throw problem(file, "the file has " + size + " bytes, too few for the 8-byte header length");
    }
    ByteBuffer lengthBytes = readFully(file, channel, 0, 8);
    long headerLength = lengthBytes.order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
      throw problem(
          file,
          "the header length "
              + Long.toUnsignedString(headerLength)
              + " exceeds the limit of "
              + MAX_HEADER_BYTES
              + " bytes");
    }
    if (headerLength > size - 8) {
      throw problem(
          file,
          "the header length "
              + headerLength
              + " is larger than the "
              + (size - 8)
              + " bytes that follow it: the file is truncated or not safetensors");
    }
    String json = decode(file, readFully(file, channel, 8, (int) headerLength));
    if (!json.startsWith("{")) {
      throw problem(file, "the header does not start with '{'");
    }
    Object parsed;
    try {
      parsed = HeaderJson.parse(json);
    } catch (HeaderJson.MalformedJsonException e) {
      throw problem(file, "the header is not valid JSON: " + e.getMessage());
    }
    long dataStart = 8 + headerLength;
    return new Located(SafetensorsHeader.of(file, parsed, size - dataStart), dataStart);
  }

  /**
   * The header as JSON, the tensors in the map's order with the ranges {@code data} gives them,
   * padded with spaces so that the data starts 8-byte aligned.
   */
  private static byte[] header(
      Map<String, Tensor> tensors, List<Placed> data, Map<String, String> metadata) {
    StringBuilder json = new StringBuilder("{");
    if (!metadata.isEmpty()) {
      json.append(quoted(METADATA)).append(":{");
      String separator = "";
      for (Map.Entry<String, String> entry : metadata.entrySet()) {
        json.append(separator).append(quoted(entry.getKey())).append(':');
        json.append(quoted(entry.getValue()));
        separator = ",";
      }
      json.append('}');
    }
    Map<String, Placed> byName = new LinkedHashMap<>();
    data.forEach(placed -> byName.put(placed.name(), placed));
    String separator = metadata.isEmpty() ? "" : ",";
    for (String name : tensors.keySet()) {
      Placed placed = byName.get(name);
      json.append(separator).append(quoted(name));
      json.append(":{\"dtype\":\"").append(placed.tensor().dtype().safetensorsName());
      json.append("\",\"shape\":[");
      int[] dims = placed.tensor().shape().toArray();
      for (int i = 0; i < dims.length; i++) {
        json.append(i == 0 ? "" : ",").append(dims[i]);
      }
      json.append("],\"data_offsets\":[").append(placed.begin()).append(',');
      json.append(placed.end()).append("]}");
      separator = ",";
    }
    json.append('}');
    byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (bytes.length + 7) / 8 * 8;
    byte[] result = new byte[padded];
    System.arraycopy(bytes, 0, result, 0, bytes.length);
    for (int i = bytes.length; i < padded; i++) {
      result[i] = ' ';
    }
    return result;
  }

  private static String quoted(String text) {
    StringBuilder result = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        result.append('\\').append(c);
      } else if (c < 0x20) {
        result.append(String.format("\\u%04x", (int) c));
      } else {
        result.append(c);
      }
    }
    return result.append('"').toString();
  }

  private static ByteBuffer readFully(Path file, FileChannel channel, long position, int length)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      int read = channel.read(buffer, position + buffer.position());
      if (read < 0) {
        throw problem(file, "the file ended after " + (position + buffer.position()) + " bytes");
      }
    }
    return buffer.flip();
  }

  private static String decode(Path file, ByteBuffer bytes) throws SafetensorsException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes)
          .toString();
    } catch (CharacterCodingException e) {
      throw problem(file, "the header is not valid UTF-8");
    }
  }

  static SafetensorsException problem(Path file, String problem) {
    return new SafetensorsException(file + ": " + problem);
  }
}
