package dev.rewind.autodiff.io;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/** Writing hostile files and checking how a reader fails on them. */
public final class HostileFiles {
  /** Longer than any read of a small file should take, short enough to call a hang a failure. */
  public static final Duration PATIENCE = Duration.ofSeconds(5);

  private static final AtomicLong NAMES = new AtomicLong();

  private HostileFiles() {}

  /** {@code bytes} in a new file of {@code folder}. */
  public static Path write(Path folder, byte[] bytes) {
    try {
      return Files.write(folder.resolve("hostile-" + NAMES.incrementAndGet() + ".bin"), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The 8-byte little-endian length and {@code header}, then {@code data}. */
  public static byte[] safetensors(long headerLength, String header, byte[] data) {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + json.length + data.length)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putLong(headerLength)
        .put(json)
        .put(data)
        .array();
  }

  public static byte[] safetensors(String header, byte[] data) {
    return safetensors(header.getBytes(StandardCharsets.UTF_8).length, header, data);
  }

  /** What reading did: returned, or threw an expected exception (any other throwable fails). */
  public enum Outcome {
    READ,
    REFUSED
  }

  @FunctionalInterface
  public interface Read {
    void run(Path file) throws Exception;
  }

  /**
   * Reads {@code file} within {@link #PATIENCE}: an exception of type {@code expected} whose
   * message starts with the file's name is REFUSED; any other exception, an error (OutOfMemoryError
   * included) or a timeout fails the test.
   */
  public static Outcome read(Path file, Class<? extends Exception> expected, Read read) {
    HostileInputs.one();
    return assertTimeoutPreemptively(
        PATIENCE,
        () -> {
          try {
            read.run(file);
            return Outcome.READ;
          } catch (Exception e) {
            if (!expected.isInstance(e)) {
              fail(file + ": expected " + expected.getSimpleName() + ", got " + e, e);
            }
            assertTrue(e.getMessage().startsWith(file + ": "), () -> "not naming the file: " + e);
            return Outcome.REFUSED;
          }
        });
  }

  public static void deleteRecursively(Path folder) throws IOException {
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
