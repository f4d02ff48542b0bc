package dev.rewind.autodiff.io;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * A safetensors file damaged anywhere — bytes overwritten, or cut short — either still reads (when
 * the damage hit only tensor data or padding) or is a {@link SafetensorsException}: never another
 * exception, and never a tensor whose size disagrees with its shape.
 */
class SafetensorsCorruptionProperties {
  private Path folder;
  private byte[] original;

  @BeforeProperty
  void writeAValidFile() throws IOException {
    folder = Files.createTempDirectory("safetensors");
    Random random = new Random(3);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("layers.0.weightIh", Tensor.randomNormal(Shape.of(3, 8), 0, 1, random));
    tensors.put("layers.0.biasIh", Tensor.randomNormal(Shape.of(8), 0, 1, random));
    tensors.put("scalar", Tensor.scalar(2));
    tensors.put("float32", Tensor.randomNormal(Shape.of(5), 0, 1, random).to(DType.FLOAT32));
    Path file = folder.resolve("valid.safetensors");
    Safetensors.write(file, tensors, Map.of("module", "LstmCell"));
    original = Files.readAllBytes(file);
  }

  @AfterProperty
  void deleteTheFolder() throws IOException {
    try (var files = Files.list(folder)) {
      files.forEach(
          path -> {
            try {
              Files.delete(path);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
    Files.delete(folder);
  }

  @Property(tries = 400, seed = "20240616", edgeCases = EdgeCasesMode.NONE)
  void damagedFilesReadOrFailCleanly(
      @ForAll @IntRange(min = 1, max = 4) int overwritten,
      @ForAll boolean truncate,
      @ForAll long seed)
      throws IOException {
    Random random = new Random(seed);
    byte[] damaged = original.clone();
    // Most damage lands in the first 8 + header bytes, where the rules are.
    int headerEnd = Math.min(damaged.length, 8 + 300);
    for (int k = 0; k < overwritten; k++) {
      int at = random.nextInt(random.nextBoolean() ? headerEnd : damaged.length);
      damaged[at] = (byte) random.nextInt(256);
    }
    if (truncate) {
      damaged = Arrays.copyOf(damaged, random.nextInt(damaged.length));
    }
    Path file = Files.createTempFile(folder, "damaged", ".safetensors");
    Files.write(file, damaged);

    try {
      for (Tensor tensor : Safetensors.read(file).values()) {
        assertTrue(tensor.size() == tensor.shape().size());
      }
    } catch (SafetensorsException e) {
      assertTrue(e.getMessage().startsWith(file.toString() + ": "), e::getMessage);
    } catch (RuntimeException e) {
      fail("a damaged file must fail with SafetensorsException, not " + e, e);
    }
  }
}
