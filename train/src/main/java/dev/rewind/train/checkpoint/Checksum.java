package dev.rewind.train.checkpoint;

import dev.rewind.autodiff.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The SHA-256 of a checkpoint's content: every metadata entry but the checksum itself, and every
 * tensor's name, shape and IEEE 754 bits, each in name order, each string and list preceded by its
 * length. Every element counts as its binary64 value: a float32 one widened, which is exact, so
 * that F32 tensors are summed as version 1 always summed them. The dtype itself is not summed:
 * damage to it changes the tensor's byte count or its values, which the safetensors reader or the
 * checksum catches; the reader then checks each parameter's dtype against the model's. It is
 * computed from values, not from the file's bytes, so it holds whatever the header's layout; any
 * change to a name, a shape, a value or a metadata entry changes it.
 *
 * <pre>
 * sha256( "rewind.checkpoint.checksum.v1"
 *         metadataCount (key value)*          sorted by key, "checksum" left out
 *         tensorCount (name rank dim* bits*)* sorted by name; strings as length + UTF-8 )
 * </pre>
 */
final class Checksum {
  static final String PREFIX = "sha256:";

  private static final String DOMAIN = "rewind.checkpoint.checksum.v1";
  private static final int BUFFER_BYTES = 1 << 16;

  private final MessageDigest digest;
  private final ByteBuffer buffer =
      ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);

  private Checksum() {
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** {@code sha256:} and 64 hexadecimal digits. */
  static String of(Map<String, Tensor> tensors, Map<String, String> metadata, String skippedKey) {
    Checksum checksum = new Checksum();
    checksum.putString(DOMAIN);
    Map<String, String> sortedMetadata = new TreeMap<>(metadata);
    sortedMetadata.remove(skippedKey);
    checksum.putLong(sortedMetadata.size());
    sortedMetadata.forEach(
        (key, value) -> {
          checksum.putString(key);
          checksum.putString(value);
        });
    Map<String, Tensor> sortedTensors = new TreeMap<>(tensors);
    checksum.putLong(sortedTensors.size());
    sortedTensors.forEach(checksum::putTensor);
    return PREFIX + HexFormat.of().formatHex(checksum.finish());
  }

  private void putTensor(String name, Tensor tensor) {
    putString(name);
    int[] dims = tensor.shape().toArray();
    putLong(dims.length);
    for (int dim : dims) {
      putLong(dim);
    }
    for (int i = 0; i < tensor.size(); i++) {
      putLong(Double.doubleToRawLongBits(tensor.getFlat(i)));
    }
  }

  private void putString(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    putLong(bytes.length);
    for (int start = 0; start < bytes.length; start += BUFFER_BYTES) {
      flushIfFewer(BUFFER_BYTES);
      buffer.put(bytes, start, Math.min(BUFFER_BYTES, bytes.length - start));
    }
  }

  private void putLong(long value) {
    flushIfFewer(Long.BYTES);
    buffer.putLong(value);
  }

  private void flushIfFewer(int bytes) {
    if (buffer.remaining() < bytes) {
      digest.update(buffer.array(), 0, buffer.position());
      buffer.clear();
    }
  }

  private byte[] finish() {
    digest.update(buffer.array(), 0, buffer.position());
    buffer.clear();
    return digest.digest();
  }
}
