package dev.rewind.train.checkpoint;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.io.Safetensors;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Layer;
import dev.rewind.optim.Optimizer;
import dev.rewind.optim.OptimizerState;
import dev.rewind.optim.OptimizerStateTensors;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Turns training state into a checkpoint's tensors and metadata, and back, checking everything on
 * the way back. Nothing here touches a file or changes a model: {@link Checkpoint} does that.
 */
final class CheckpointCodec {
  static final String FORMAT = "rewind.checkpoint";
  static final int VERSION = 1;

  static final String MODEL_PREFIX = "model.";
  static final String OPTIMIZER_PREFIX = "optimizer.";
  static final String CARRIED_PREFIX = "carried.";

  static final String KEY_FORMAT = "format";
  static final String KEY_VERSION = "format_version";
  static final String KEY_MODEL = "model";
  static final String KEY_STEP = "step";
  static final String KEY_DATA_POSITION = "data_position";
  static final String KEY_RANDOM = "random";
  static final String KEY_CHECKSUM = "checksum";
  static final String ATTRIBUTE_PREFIX = "attribute.";

  private static final Set<String> KNOWN_KEYS =
      Set.of(
          KEY_FORMAT,
          KEY_VERSION,
          KEY_MODEL,
          KEY_STEP,
          KEY_DATA_POSITION,
          KEY_RANDOM,
          KEY_CHECKSUM);

  private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,19}");

  private CheckpointCodec() {}

  /** A checkpoint's content, as {@link Safetensors#write} takes it. */
  record Encoded(ImmutableMap<String, Tensor> tensors, ImmutableMap<String, String> metadata) {}

  /** A checkpoint's content, checked against a model and an optimizer, ready to be applied. */
  record Decoded(
      Progress progress,
      Random random,
      ImmutableMap<Parameter, Tensor> parameterValues,
      CheckpointFit.OptimizerStates optimizerState) {}

  static Encoded encode(Layer model, Optimizer optimizer, Random random, Progress progress) {
    Map<Parameter, String> dotted = CheckpointFit.dottedNames(model);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    model.namedParameters().forEach((name, p) -> tensors.put(MODEL_PREFIX + name, p.value()));

    // An optimizer built from a plain list keys its state by Parameter.name(); one built from
    // namedParameters() by dotted path. Both are filed here under the dotted path.
    Map<String, String> dottedByOptimizerName = new LinkedHashMap<>();
    for (Parameter parameter : optimizer.parameters()) {
      String name = dotted.get(parameter);
      checkArgument(
          name != null,
          "checkpoint: the optimizer updates parameter '%s' %s, which is not in the model %s",
          parameter.name(),
          parameter.shape(),
          model.name());
      dottedByOptimizerName.putIfAbsent(parameter.name(), name);
    }
    for (Parameter parameter : optimizer.parameters()) {
      String name = dotted.get(parameter);
      dottedByOptimizerName.put(name, name);
    }
    OptimizerState state = optimizer.exportState();
    Map<String, ImmutableMap<String, Tensor>> slotsByPath = new LinkedHashMap<>();
    state
        .slots()
        .forEach(
            (parameterName, slots) -> {
              String name = dottedByOptimizerName.get(parameterName);
              checkArgument(
                  name != null,
                  "checkpoint: the optimizer's state holds parameter '%s', which it does not update",
                  parameterName);
              slotsByPath.put(name, slots);
            });
    OptimizerState filed =
        new OptimizerState(
            state.optimizer(), state.steps(), state.scalars(), ImmutableMap.copyOf(slotsByPath));
    OptimizerStateTensors.tensors(filed)
        .forEach((name, value) -> tensors.put(OPTIMIZER_PREFIX + name, value));
    progress.carried().forEach((name, value) -> tensors.put(CARRIED_PREFIX + name, value));

    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put(KEY_FORMAT, FORMAT);
    metadata.put(KEY_VERSION, Integer.toString(VERSION));
    metadata.put(KEY_MODEL, model.name());
    metadata.put(KEY_STEP, Long.toString(progress.step()));
    metadata.put(KEY_DATA_POSITION, Long.toString(progress.dataPosition()));
    metadata.put(KEY_RANDOM, RandomState.encode(random));
    metadata.putAll(OptimizerStateTensors.metadata(filed));
    // Sorted by key: the same run writes the same bytes in every JVM, whatever map the attributes
    // came in (Map.of's order changes from one JVM to the next).
    new TreeMap<>(progress.attributes())
        .forEach((key, value) -> metadata.put(ATTRIBUTE_PREFIX + key, value));
    metadata.put(KEY_CHECKSUM, Checksum.of(tensors, metadata, KEY_CHECKSUM));
    return new Encoded(ImmutableMap.copyOf(tensors), ImmutableMap.copyOf(metadata));
  }

  /**
   * What a checkpoint holds besides the model and the optimizer, found intact by {@link #verify}.
   */
  record Verified(Progress progress, Random random) {}

  /**
   * Checks {@code contents}, read from {@code file}, as far as it can without a model, in this
   * order: the format and its version, the checksum, the metadata keys, the step and the data
   * position, the generator, the tensors' names. The first problem is thrown.
   */
  static Verified verify(Path file, Safetensors.Contents contents) throws CheckpointException {
    Map<String, String> metadata = contents.metadata();
    Map<String, Tensor> tensors = contents.tensors();
    checkFormat(file, metadata);
    String recorded = metadata.get(KEY_CHECKSUM);
    if (recorded == null) {
      throw new CheckpointException(file, "the metadata has no checksum");
    }
    String actual = Checksum.of(tensors, metadata, KEY_CHECKSUM);
    if (!recorded.equals(actual)) {
      throw new CheckpointException(
          file, "the checksum does not match its content; the file is corrupt");
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : metadata.entrySet()) {
      String key = entry.getKey();
      if (key.startsWith(ATTRIBUTE_PREFIX) && key.length() > ATTRIBUTE_PREFIX.length()) {
        attributes.put(key.substring(ATTRIBUTE_PREFIX.length()), entry.getValue());
      } else if (!KNOWN_KEYS.contains(key) && !OptimizerStateTensors.isStateKey(key)) {
        throw new CheckpointException(file, "unknown metadata key " + shown(key));
      }
    }
    long step = decimal(file, metadata, KEY_STEP);
    if (step < 0) {
      throw new CheckpointException(file, "step " + step + " is negative");
    }
    long dataPosition = decimal(file, metadata, KEY_DATA_POSITION);
    if (dataPosition < 0) {
      throw new CheckpointException(file, "data position " + dataPosition + " is negative");
    }
    Random random;
    try {
      random = RandomState.decode(required(file, metadata, KEY_RANDOM));
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(file, e.getMessage(), e);
    }
    Map<String, Tensor> carried = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
      String name = entry.getKey();
      if (name.startsWith(CARRIED_PREFIX) && name.length() > CARRIED_PREFIX.length()) {
        carried.put(name.substring(CARRIED_PREFIX.length()), entry.getValue());
      } else if (!name.startsWith(OPTIMIZER_PREFIX) && !name.startsWith(MODEL_PREFIX)) {
        throw new CheckpointException(
            file, "tensor " + shown(name) + " is not 'model.…', 'optimizer.…' or 'carried.…'");
      }
    }
    Progress progress =
        new Progress(
            step, dataPosition, ImmutableMap.copyOf(carried), ImmutableMap.copyOf(attributes));
    return new Verified(progress, random);
  }

  /**
   * Checks {@code contents}, read from {@code file}, as {@link #verify} does, then every model
   * parameter's name, shape and dtype, the optimizer's algorithm and every slot's parameter and
   * shape, and the carried tensors' names and shapes. The first problem is thrown.
   */
  static Decoded decode(
      Path file,
      Safetensors.Contents contents,
      Layer model,
      Optimizer optimizer,
      Map<String, Shape> carriedShapes)
      throws CheckpointException {
    Verified verified = verify(file, contents);
    Map<String, Tensor> slots = new LinkedHashMap<>();
    contents
        .tensors()
        .forEach(
            (name, value) -> {
              if (name.startsWith(OPTIMIZER_PREFIX)) {
                slots.put(name.substring(OPTIMIZER_PREFIX.length()), value);
              }
            });
    OptimizerState saved;
    try {
      saved = OptimizerStateTensors.fromTensors(slots, contents.metadata());
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(file, e.getMessage(), e);
    }
    ImmutableMap<Parameter, Tensor> values =
        CheckpointFit.parameterValues(file, contents.tensors(), model);
    CheckpointFit.OptimizerStates state =
        CheckpointFit.optimizerState(file, saved, model, optimizer);
    if (carriedShapes != null) {
      CheckpointFit.checkCarried(file, verified.progress().carried(), carriedShapes);
    }
    return new Decoded(verified.progress(), verified.random(), values, state);
  }

  private static void checkFormat(Path file, Map<String, String> metadata)
      throws CheckpointException {
    String format = metadata.get(KEY_FORMAT);
    if (!FORMAT.equals(format)) {
      throw new CheckpointException(
          file,
          format == null
              ? "not a Rewind checkpoint: its metadata has no format '" + FORMAT + "'"
              : "not a Rewind checkpoint: its format is "
                  + shown(format)
                  + ", not '"
                  + FORMAT
                  + "'");
    }
    String version = metadata.get(KEY_VERSION);
    if (!Integer.toString(VERSION).equals(version)) {
      throw new CheckpointException(
          file,
          "checkpoint format version "
              + (version == null ? "(missing)" : shown(version))
              + " cannot be read; this library reads version "
              + VERSION);
    }
  }

  private static String required(Path file, Map<String, String> metadata, String key)
      throws CheckpointException {
    String value = metadata.get(key);
    if (value == null) {
      throw new CheckpointException(file, "the metadata has no '" + key + "'");
    }
    return value;
  }

  private static long decimal(Path file, Map<String, String> metadata, String key)
      throws CheckpointException {
    String text = required(file, metadata, key);
    if (DECIMAL.matcher(text).matches()) {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        // out of range: reported below
      }
    }
    throw new CheckpointException(
        file, "metadata '" + key + "' is " + shown(text) + ", not a 64-bit integer");
  }

  /**
   * The IEEE 754 bits of {@code value} as a checkpoint's metadata holds a scalar ({@link
   * OptimizerStateTensors} writes them), so that tests can state the format independently.
   */
  static String bits(double value) {
    return String.format("0x%016x", Double.doubleToRawLongBits(value));
  }

  /** A value quoted for a message, cut short: a hostile file may hold megabytes in one string. */
  static String shown(String text) {
    return "'" + (text.length() > 60 ? text.substring(0, 60) + "…" : text) + "'";
  }
}
