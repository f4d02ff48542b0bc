package dev.rewind.examples.text;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.io.Safetensors;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.datasets.text.Vocabulary;
import dev.rewind.layers.io.ModuleWeights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * A trained character model on disk: its parameters in a safetensors file ({@link ModuleWeights},
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
    ModuleWeights.save(model, checkpoint);
  }

  /**
   * Reads a checkpoint written by {@link #save}: a fresh model of the saved shape, holding the
   * saved parameters, and its vocabulary.
   *
   * @throws IllegalArgumentException naming the file if it does not hold a character model, or if
   *     the vocabulary does not fit it
   */
  public static Loaded load(Path checkpoint) throws IOException {
    ImmutableMap<String, Tensor> tensors = Safetensors.read(checkpoint);
    CharModel.Config config = configOf(tensors, checkpoint);
    Vocabulary vocabulary = Vocabulary.load(vocabularyFile(checkpoint));
    checkArgument(
        vocabulary.size() == config.vocabularySize(),
        "%s: the model reads %s symbols but its vocabulary %s has %s",
        checkpoint,
        config.vocabularySize(),
        vocabularyFile(checkpoint),
        vocabulary.size());
    CharModel<?> model = CharModel.create(config, new Random(0));
    ModuleWeights.load(model, checkpoint);
    return new Loaded(model, vocabulary);
  }

  /** The shape of the model whose parameters these are. */
  static CharModel.Config configOf(Map<String, Tensor> tensors, Path file) {
    Shape readout = shapeOf(tensors, "readout.weight", file);
    int hidden = readout.dim(0);
    int vocabulary = readout.dim(1);
    Tensor table = tensors.get("embedding");
    int embedding = table == null ? 0 : table.shape().dim(1);
    CellType cell;
    if (tensors.containsKey("cell.U")) {
      cell = CellType.ELMAN;
    } else {
      int gateColumns = shapeOf(tensors, "cell.weightHh", file).dim(1);
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

  private static Shape shapeOf(Map<String, Tensor> tensors, String name, Path file) {
    Tensor tensor = tensors.get(name);
    checkArgument(
        tensor != null && tensor.rank() == 2,
        "%s: not a character model: no matrix '%s' among %s",
        file,
        name,
        tensors.keySet());
    return tensor.shape();
  }

  /** A model read back from disk, with its vocabulary. */
  public record Loaded(CharModel<?> model, Vocabulary vocabulary) {}
}
