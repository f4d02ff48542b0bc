package dev.rewind.autodiff.io;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableMap;
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
import java.util.LinkedHashMap;
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
 * <p>{@link #write} writes F64 atomically: to a temporary file in the same folder, forced to disk,
 * then renamed over the target, so a crash leaves the old file or the new one, never half of one.
 *
 * <p>{@link #read} reads F64 and F32 (widened to double) and trusts nothing in the file: the header
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

  /** Writes {@code tensors} as F64, in the map's order, without metadata. */
  public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
    write(file, tensors, Map.of());
  }

  /** Writes {@code tensors} as F64, in the map's order, with string {@code metadata}. */
  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    checkNames(file, tensors);
    AtomicWrite.write(file, out -> write(out, tensors, metadata));
  }

  /**
   * Writes the bytes of a safetensors file holding {@code tensors} as F64, in the map's order, with
   * string {@code metadata}, to {@code out}, which is flushed but not closed. Nothing is atomic
   * here: this is for callers that manage their own files, such as checkpoints.
   */
  public static void write(
      OutputStream out, Map<String, Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    checkNames("an output stream", tensors);
    byte[] header = header(tensors, metadata);
    ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    out.write(length.putLong(header.length).array());
    out.write(header);
    for (Tensor tensor : tensors.values()) {
      ByteBuffer data = ByteBuffer.allocate(8 * tensor.size()).order(ByteOrder.LITTLE_ENDIAN);
      data.asDoubleBuffer().put(tensor.toArray());
      out.write(data.array());
    }
    out.flush();
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

  /** The tensors of {@code file}, in the header's order; F32 tensors are widened. */
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

  /** What a file declares, without its data: every tensor's shape by name, and its metadata. */
  public record Header(ImmutableMap<String, Shape> shapes, ImmutableMap<String, String> metadata) {}

  /**
   * The tensors' names and shapes and the metadata of {@code file}, validated as {@link
   * #readContents} validates them, without reading (or allocating) any tensor's data: compare them
   * with what you expect before reading a file that may declare more than you want to hold.
   */
  public static Header readHeader(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      SafetensorsHeader header = header(file, channel).header();
      ImmutableMap.Builder<String, Shape> shapes = ImmutableMap.builder();
      for (SafetensorsHeader.Entry entry : header.entries()) {
        shapes.put(entry.name(), entry.shape());
      }
      return new Header(shapes.buildOrThrow(), header.metadata());
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

  /** The header as JSON, padded with spaces so that the data starts 8-byte aligned. */
  private static byte[] header(Map<String, Tensor> tensors, Map<String, String> metadata) {
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
    long offset = 0;
    String separator = metadata.isEmpty() ? "" : ",";
    for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
      Tensor tensor = entry.getValue();
      long end = offset + 8L * tensor.size();
      json.append(separator).append(quoted(entry.getKey()));
      json.append(":{\"dtype\":\"F64\",\"shape\":[");
      int[] dims = tensor.shape().toArray();
      for (int i = 0; i < dims.length; i++) {
        json.append(i == 0 ? "" : ",").append(dims[i]);
      }
      json.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
      offset = end;
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
