package dev.rewind.examples.text;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.io.Safetensors;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.datasets.text.Vocabulary;
import dev.rewind.layers.io.LayerWeights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * A trained character model on disk: its parameters in a safetensors file ({@link LayerWeights},
 * written atomically) and, next to it, its vocabulary as text ({@code model.safetensors} → {@code
 * model.vocabulary.txt}). The model's shape is read back from the parameters' names and shapes, so
 * the two files are all a later run needs.
 */
public final class CharCheckpoint {
  private static final String SUFFIX = ".safetensors";

  private CharCheckpoint() {}

  /** The vocabulary file that goes with {@code checkpoint}. */
  public static Path vocabularyFile(Path checkpoint) {
    String name = checkpoint.getFileName().toString();
    String stem = name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : name;
    return checkpoint.resolveSibling(stem + ".vocabulary.txt");
  }

  /** Writes the vocabulary, then the parameters, each atomically; creates the folder if need be. */
  public static void save(CharModel<?> model, Vocabulary vocabulary, Path checkpoint)
      throws IOException {
    checkArgument(
        vocabulary.size() == model.config().vocabularySize(),
        "checkpoint %s: the vocabulary has %s symbols but the model reads %s",
        checkpoint,
        vocabulary.size(),
        model.config().vocabularySize());
    Path folder = checkpoint.toAbsolutePath().getParent();
    Files.createDirectories(folder);
    try {
      vocabulary.save(vocabularyFile(checkpoint)); // atomically, as AtomicWrite does
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    LayerWeights.save(model, checkpoint);
  }

  /**
   * Reads a checkpoint written by {@link #save}: a fresh model of the saved shape, holding the
   * saved parameters, and its vocabulary. Only the file's header is read until it has been checked:
   * the model's shape comes from the names and shapes it declares, and a file that declares no
   * character model, or one larger than the heap, is refused before any data is read or allocated.
   *
   * @throws IllegalArgumentException naming the file if it does not hold a character model, if the
   *     vocabulary does not fit it, or if the model would not fit in the heap
   */
  public static Loaded load(Path checkpoint) throws IOException {
    ImmutableMap<String, Shape> declared = Safetensors.readHeader(checkpoint).shapes();
    CharModel.Config config = configOf(declared, checkpoint);
    Vocabulary vocabulary = Vocabulary.load(vocabularyFile(checkpoint));
    checkArgument(
        vocabulary.size() == config.vocabularySize(),
        "%s: the model reads %s symbols but its vocabulary %s has %s",
        checkpoint,
        config.vocabularySize(),
        vocabularyFile(checkpoint),
        vocabulary.size());
    checkFitsTheHeap(declared, checkpoint);
    CharModel<?> model = CharModel.create(config, new Random(0));
    // Compares every name and shape the file declares with the model's before reading any data.
    LayerWeights.load(model, checkpoint);
    return new Loaded(model, vocabulary);
  }

  /** The shape of the model whose parameters have these names and shapes. */
  static CharModel.Config configOf(Map<String, Shape> shapes, Path file) {
    Shape readout = matrix(shapes, "readout.weight", file);
    int hidden = readout.dim(0);
    int vocabulary = readout.dim(1);
    int embedding = 0;
    if (shapes.containsKey("embedding")) {
      Shape table = matrix(shapes, "embedding", file);
      checkArgument(
          table.dim(0) == vocabulary,
          "%s: embedding %s has %s rows but readout.weight %s reads out %s symbols",
          file,
          table,
          table.dim(0),
          readout,
          vocabulary);
      embedding = table.dim(1);
    }
    CellType cell;
    if (shapes.containsKey("cell.U")) {
      cell = CellType.ELMAN;
    } else {
      int gateColumns = matrix(shapes, "cell.weightHh", file).dim(1);
      checkArgument(
          gateColumns == 4 * hidden || gateColumns == 3 * hidden,
          "%s: cell.weightHh has %s columns for %s hidden units: neither an LSTM (4 × %s) nor a"
              + " GRU (3 × %s)",
          file,
          gateColumns,
          hidden,
          hidden,
          hidden);
      cell = gateColumns == 4 * hidden ? CellType.LSTM : CellType.GRU;
    }
    return new CharModel.Config(cell, vocabulary, embedding, hidden);
  }

  private static Shape matrix(Map<String, Shape> shapes, String name, Path file) {
    Shape shape = shapes.get(name);
    checkArgument(
        shape != null,
        "%s: not a character model: no matrix '%s' among %s",
        file,
        name,
        shapes.keySet());
    checkArgument(
        shape.rank() == 2, "%s: not a character model: '%s' %s is not a matrix", file, name, shape);
    return shape;
  }

  /**
   * The model the file declares, once as parameters and once as the values read into them, fits in
   * the heap; otherwise building it would end in an {@link OutOfMemoryError}.
   */
  private static void checkFitsTheHeap(Map<String, Shape> shapes, Path file) {
    long elements = 0;
    String largest = null;
    for (Map.Entry<String, Shape> entry : shapes.entrySet()) {
      elements += entry.getValue().size();
      if (largest == null || entry.getValue().size() > shapes.get(largest).size()) {
        largest = entry.getKey();
      }
    }
    long megabytes = 2 * Double.BYTES * elements / (1024 * 1024);
    long heap = Runtime.getRuntime().maxMemory() / (1024 * 1024);
    checkArgument(
        megabytes < heap,
        "%s: declares a model of %s parameters (the largest '%s' %s), %s MB to load, more than"
            + " the heap's %s MB; give Java a larger heap (-Xmx)",
        file,
        elements,
        largest,
        shapes.get(largest),
        megabytes,
        heap);
  }

  /** A model read back from disk, with its vocabulary. */
  public record Loaded(CharModel<?> model, Vocabulary vocabulary) {}
}
