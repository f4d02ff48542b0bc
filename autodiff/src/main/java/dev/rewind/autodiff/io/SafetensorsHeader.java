package dev.rewind.autodiff.io;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A safetensors header, validated: its tensors' entries in the file's order (names unique, dtypes
 * known, byte ranges inside the data and tiling it without overlap or gap) and its metadata.
 */
record SafetensorsHeader(
    List<SafetensorsHeader.Entry> entries, ImmutableMap<String, String> metadata) {

  static SafetensorsHeader of(Path file, Object parsed, long dataLength)
      throws SafetensorsException {
    if (!(parsed instanceof Map<?, ?> members)) {
      throw Safetensors.problem(file, "the header is not a JSON object");
    }
    List<Entry> entries = new ArrayList<>();
    ImmutableMap<String, String> metadata = ImmutableMap.of();
    for (Map.Entry<?, ?> member : members.entrySet()) {
      String name = (String) member.getKey();
      if (name.equals(Safetensors.METADATA)) {
        metadata = metadata(file, member.getValue());
      } else {
        entries.add(entry(file, name, member.getValue(), dataLength));
      }
    }
    checkTiling(file, entries, dataLength);
    return new SafetensorsHeader(entries, metadata);
  }

  private static ImmutableMap<String, String> metadata(Path file, Object value)
      throws SafetensorsException {
    if (!(value instanceof Map<?, ?> pairs)) {
      throw Safetensors.problem(file, "__metadata__ is not a JSON object");
    }
    ImmutableMap.Builder<String, String> metadata = ImmutableMap.builder();
    for (Map.Entry<?, ?> pair : pairs.entrySet()) {
      if (!(pair.getValue() instanceof String text)) {
        throw Safetensors.problem(
            file, "__metadata__ value of '" + pair.getKey() + "' is not a string");
      }
      metadata.put((String) pair.getKey(), text);
    }
    return metadata.buildOrThrow();
  }

  private static Entry entry(Path file, String name, Object value, long dataLength)
      throws SafetensorsException {
    String where = "tensor '" + name + "'";
    if (!(value instanceof Map<?, ?> fields)) {
      throw Safetensors.problem(file, where + " is not described by a JSON object");
    }
    if (!(fields.get("dtype") instanceof String dtypeName)) {
      throw Safetensors.problem(file, where + " has no dtype string");
    }
    DType dtype = dtype(dtypeName);
    if (dtype == null) {
      throw Safetensors.problem(
          file, where + " has dtype " + dtypeName + "; only F64 and F32 can be read");
    }
    int width = dtype.bytes();
    List<Long> dims = integers(file, where, "shape", fields.get("shape"));
    long elements = 1;
    int[] shape = new int[dims.size()];
    for (int i = 0; i < shape.length; i++) {
      // NOTE: checked before multiplying: a huge dimension after a 0 would otherwise wrap to an
      // int silently, and two huge ones would overflow the long product.
      if (dims.get(i) > Integer.MAX_VALUE) {
        throw Safetensors.problem(
            file, where + " has shape " + dims + ": dimension " + i + " is too large");
      }
      elements *= dims.get(i);
      if (elements > Integer.MAX_VALUE) {
        throw Safetensors.problem(
            file, where + " has shape " + dims + ": too many elements for a Tensor");
      }
      shape[i] = (int) (long) dims.get(i);
    }
    if (elements * width > Integer.MAX_VALUE) {
      throw Safetensors.problem(
          file, where + " has shape " + dims + ": over 2 GB, too large to read");
    }
    List<Long> offsets = integers(file, where, "data_offsets", fields.get("data_offsets"));
    if (offsets.size() != 2) {
      throw Safetensors.problem(
          file, where + " has data_offsets " + offsets + " but needs [begin, end]");
    }
    long begin = offsets.get(0);
    long end = offsets.get(1);
    if (begin > end || end > dataLength) {
      throw Safetensors.problem(
          file,
          where
              + " has data_offsets ["
              + begin
              + ", "
              + end
              + "] outside the "
              + dataLength
              + " bytes of data");
    }
    if (end - begin != elements * width) {
      throw Safetensors.problem(
          file,
          where
              + " is "
              + dtypeName
              + " of shape "
              + dims
              + ", which needs "
              + elements * width
              + " bytes, but its data_offsets ["
              + begin
              + ", "
              + end
              + "] hold "
              + (end - begin));
    }
    return new Entry(name, dtype, Shape.of(shape), begin, end);
  }

  /** The dtype whose safetensors name is {@code name} ({@code F64}, {@code F32}), or null. */
  private static DType dtype(String name) {
    for (DType dtype : DType.values()) {
      if (dtype.safetensorsName().equals(name)) {
        return dtype;
      }
    }
    return null;
  }

  private static List<Long> integers(Path file, String where, String field, Object value)
      throws SafetensorsException {
    if (!(value instanceof List<?> list)) {
      throw Safetensors.problem(file, where + " has no " + field + " array");
    }
    List<Long> result = new ArrayList<>();
    for (Object element : list) {
      if (!(element instanceof Long number) || number < 0) {
        throw Safetensors.problem(
            file, where + " has " + field + " " + list + ": not all non-negative integers");
      }
      result.add(number);
    }
    return result;
  }

  /** The byte ranges, sorted, must start at 0, touch each other and end at the data's end. */
  private static void checkTiling(Path file, List<Entry> entries, long dataLength)
      throws SafetensorsException {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long covered = 0;
    Entry previous = null;
    for (Entry entry : sorted) {
      if (entry.begin() < covered) {
        throw Safetensors.problem(
            file,
            "tensors '"
                + previous.name()
                + "' ["
                + previous.begin()
                + ", "
                + previous.end()
                + "] and '"
                + entry.name()
                + "' ["
                + entry.begin()
                + ", "
                + entry.end()
                + "] overlap");
      }
      if (entry.begin() > covered) {
        throw Safetensors.problem(
            file,
            "bytes ["
                + covered
                + ", "
                + entry.begin()
                + ") of the data belong to no tensor (before '"
                + entry.name()
                + "')");
      }
      covered = entry.end();
      previous = entry;
    }
    if (covered != dataLength) {
      throw Safetensors.problem(
          file,
          "the data holds "
              + dataLength
              + " bytes but the tensors account for "
              + covered
              + ": the file is truncated, padded or not safetensors");
    }
  }

  /** One tensor's header entry: its name, dtype, shape and byte range in the data. */
  record Entry(String name, DType dtype, Shape shape, long begin, long end) {

    /** The tensor of {@code bytes}, in the dtype the header gives it: F32 stays float32. */
    Tensor decode(ByteBuffer bytes) {
      bytes.order(ByteOrder.LITTLE_ENDIAN);
      if (dtype == DType.FLOAT32) {
        float[] values = new float[shape.size()];
        bytes.asFloatBuffer().get(values);
        return Tensor.ofFloats(shape, values);
      }
      double[] values = new double[shape.size()];
      bytes.asDoubleBuffer().get(values);
      return Tensor.of(shape, values);
    }
  }
}
