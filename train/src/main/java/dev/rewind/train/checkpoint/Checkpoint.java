package dev.rewind.train.checkpoint;

import com.google.common.collect.ImmutableList;
import dev.rewind.autodiff.io.AtomicWrite;
import dev.rewind.autodiff.io.Safetensors;
import dev.rewind.autodiff.io.SafetensorsException;
import dev.rewind.autodiff.io.WriteFaults;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Layer;
import dev.rewind.optim.Optimizer;
import dev.rewind.optim.OptimizerState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Everything needed to continue training, in one file: the model's parameters, the optimizer's
 * state, the random generator's state, the step, the data position and the recurrent state carried
 * into the next step (see {@link Progress}). Saving is atomic; loading checks everything before it
 * changes anything, and changes the model and the optimizer together or not at all.
 *
 * <pre>{@code
 * Checkpoint.save(file, model, optimizer, random, Progress.of(step, position));
 * Checkpoint.Restored restored = Checkpoint.load(file, model, optimizer); // model, optimizer restored
 * Random random = restored.random();                                      // use this one from now on
 * long step = restored.progress().step();
 * }</pre>
 *
 * <p>The file is safetensors (version {@value #VERSION} of this layout), each tensor in its dtype:
 * F64 for float64, F32 for float32 (a model converted with {@code Layer.to(DType.FLOAT32)}).
 *
 * <pre>
 * model.&lt;parameter&gt;              each of Layer.namedParameters(), e.g. model.cell.weightHh
 * optimizer.&lt;parameter&gt;.&lt;slot&gt;   optimizer state, e.g. optimizer.cell.weightHh.firstMoment
 * carried.&lt;name&gt;                 the carried recurrent state, e.g. carried.h, carried.c
 * __metadata__
 *   format            rewind.checkpoint
 *   format_version    1
 *   model             the model's class, for people (not checked)
 *   step              training steps taken, skipped ones included
 *   data_position     the caller's position in the data (opaque)
 *   random            java.util.Random's serialized state, Base64
 *   optimizer         the algorithm, as OptimizerState names it: Sgd, Adam, Rprop(IRPROP_MINUS), …
 *   optimizer_steps   the optimizer's own step count (skipped steps are not counted)
 *   optimizer_scalar.&lt;name&gt;   a scalar of the optimizer's state, as 0x + its 64 IEEE 754 bits
 *   attribute.&lt;key&gt;           the caller's own strings (Progress.attributes)
 *   checksum          sha256: of every tensor's name, shape and bits and every other entry
 * </pre>
 *
 * <p>Reading trusts nothing: the header is at most {@value #MAX_HEADER_BYTES} bytes (16 MiB,
 * tighter than {@link Safetensors#MAX_HEADER_BYTES}) and the data at most what this model's
 * parameters with {@value #MAX_SLOTS_PER_PARAMETER} optimizer slots each, and the carried state,
 * can fill, before anything is read; then every rule of {@link Safetensors#readContents}, the
 * format and version, the checksum, every metadata entry, every parameter's name, shape and dtype
 * against the model (a checkpoint is never converted to another dtype: it restores a run exactly),
 * the optimizer's algorithm and every slot's shape, and the carried state's names and shapes when
 * they are given. Optimizer slots and carried tensors come back in the dtype they were saved in.
 * Hyperparameters (learning rate, betas, clipping) are not part of the state: build the optimizer
 * with the same ones to continue bit for bit.
 */
public final class Checkpoint {

  /** The version of the layout above that this class writes and reads. */
  public static final int VERSION = CheckpointCodec.VERSION;

  /**
   * The prefix of an attribute's key in the file's metadata ({@code attribute.lr} holds the
   * attribute {@code lr}), for a program that reads a checkpoint's header alone.
   */
  public static final String ATTRIBUTE_PREFIX = CheckpointCodec.ATTRIBUTE_PREFIX;

  /** The largest header a checkpoint may have: 16 MiB of names and metadata. */
  public static final long MAX_HEADER_BYTES = 16L << 20;

  /** Optimizer slots per parameter assumed by the file-size bound; Rprop+ uses 3. */
  public static final int MAX_SLOTS_PER_PARAMETER = 8;

  /** The carried state assumed by the file-size bound when its shapes are not given: 64 MiB. */
  public static final long MAX_CARRIED_BYTES = 64L << 20;

  private Checkpoint() {}

  /**
   * What a load restored besides the model and the optimizer.
   *
   * @param file the checkpoint read
   * @param progress the step, data position and attributes saved with it
   * @param random a new generator in the saved state: continue with it, not the old one
   * @param passedOver newer checkpoints found damaged, each as {@code FILE: problem}, newest first
   *     (only {@link CheckpointFolder#restoreLatest} passes any over)
   */
  public record Restored(
      Path file, Progress progress, Random random, ImmutableList<String> passedOver) {}

  /**
   * Writes a checkpoint to {@code file} atomically: on any failure the file, if it existed, is as
   * it was.
   *
   * @throws IllegalArgumentException if {@code random} is not a plain {@code java.util.Random} or
   *     the optimizer updates a parameter that is not in {@code model}
   * @throws CheckpointException if the file cannot be written
   */
  public static void save(
      Path file, Layer model, Optimizer optimizer, Random random, Progress progress)
      throws IOException {
    save(file, model, optimizer, random, progress, WriteFaults.NONE);
  }

  static void save(
      Path file,
      Layer model,
      Optimizer optimizer,
      Random random,
      Progress progress,
      WriteFaults faults)
      throws IOException {
    CheckpointCodec.Encoded encoded = CheckpointCodec.encode(model, optimizer, random, progress);
    try {
      AtomicWrite.write(
          file, out -> Safetensors.write(out, encoded.tensors(), encoded.metadata()), faults);
    } catch (IOException e) {
      throw CheckpointException.wrapping(e);
    }
  }

  /**
   * Restores {@code model} and {@code optimizer} from {@code file}, or leaves both as they were. A
   * carried state in the file is returned as it is; to check it with everything else, use {@link
   * #load(Path, Layer, Optimizer, Map)}.
   *
   * @throws CheckpointException naming the file and the first problem: not a readable checkpoint, a
   *     checksum that does not match, a parameter missing or of another shape or dtype, another
   *     optimizer
   */
  public static Restored load(Path file, Layer model, Optimizer optimizer)
      throws CheckpointException {
    return load(file, model, optimizer, null);
  }

  /**
   * Restores {@code model} and {@code optimizer} from {@code file}, or leaves both as they were;
   * the carried state must have exactly the names and shapes {@code carriedShapes} gives ({@link
   * dev.rewind.layers.RecurrentState#shapes} of this run's state), empty for none.
   *
   * @throws CheckpointException as {@link #load(Path, Layer, Optimizer)}, or if the carried state
   *     differs
   */
  public static Restored load(
      Path file, Layer model, Optimizer optimizer, Map<String, Shape> carriedShapes)
      throws CheckpointException {
    CheckpointCodec.Decoded decoded;
    try {
      checkSize(file, model, carriedShapes);
      decoded =
          CheckpointCodec.decode(
              file, Safetensors.readContents(file), model, optimizer, carriedShapes);
    } catch (CheckpointException e) {
      throw e;
    } catch (SafetensorsException e) {
      throw CheckpointException.wrapping(e);
    } catch (IOException e) {
      throw new CheckpointException(file, "cannot be read (" + e + ")", e);
    } catch (RuntimeException e) {
      throw new CheckpointException(file, "is not a valid checkpoint (" + e + ")", e);
    }
    apply(file, decoded, model, optimizer);
    return new Restored(file, decoded.progress(), decoded.random(), ImmutableList.of());
  }

  /**
   * Checks that {@code file} is an intact checkpoint, without a model: its format and version, its
   * checksum over every tensor and metadata entry, its metadata keys, step, data position and
   * generator, and its tensors' names, as {@link #load} checks them. Returns its progress (step,
   * data position, carried state, attributes), so that a caller can compare the settings it was
   * saved with before restoring it; damage anywhere in the file is found here first.
   *
   * @throws CheckpointException naming the file and the first problem
   */
  public static Progress verify(Path file) throws CheckpointException {
    Safetensors.Contents contents;
    try {
      checkHeaderLength(file);
      contents = Safetensors.readContents(file);
    } catch (CheckpointException e) {
      throw e;
    } catch (SafetensorsException e) {
      throw CheckpointException.wrapping(e);
    } catch (IOException e) {
      throw new CheckpointException(file, "cannot be read (" + e + ")", e);
    } catch (RuntimeException e) {
      throw new CheckpointException(file, "is not a valid checkpoint (" + e + ")", e);
    }
    return CheckpointCodec.verify(file, contents).progress();
  }

  /**
   * As {@link #verify(Path)}, after checking without reading it that {@code file} is no larger than
   * a checkpoint of {@code model} can be, so that a hostile file cannot make the reader allocate.
   */
  static Progress verify(Path file, Layer model, Map<String, Shape> carriedShapes)
      throws CheckpointException {
    try {
      checkSize(file, model, carriedShapes);
    } catch (CheckpointException e) {
      throw e;
    } catch (IOException e) {
      throw new CheckpointException(file, "cannot be read (" + e + ")", e);
    }
    return verify(file);
  }

  /** Rejects, before reading it, a header over {@link #MAX_HEADER_BYTES}. */
  private static void checkHeaderLength(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long unused = headerLength(file, channel);
    }
  }

  /** The header length of a file of at least 8 bytes, checked against the limit; else -1. */
  private static long headerLength(Path file, FileChannel channel) throws IOException {
    if (channel.size() < 8) {
      return -1; // the safetensors reader names this problem
    }
    ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    while (prefix.hasRemaining()) {
      if (channel.read(prefix, prefix.position()) < 0) {
        return -1;
      }
    }
    long headerLength = prefix.flip().getLong();
    if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
      throw new CheckpointException(
          file,
          "the header length "
              + Long.toUnsignedString(headerLength)
              + " exceeds the checkpoint limit of "
              + MAX_HEADER_BYTES
              + " bytes");
    }
    return headerLength;
  }

  /** Sets the optimizer's state and every parameter; if anything fails, puts everything back. */
  private static void apply(
      Path file, CheckpointCodec.Decoded decoded, Layer model, Optimizer optimizer)
      throws CheckpointException {
    OptimizerState previousState = optimizer.exportState();
    Map<Parameter, Tensor> previousValues = new IdentityHashMap<>();
    for (Parameter parameter : model.parameters()) {
      previousValues.put(parameter, parameter.value());
    }
    try {
      restoreOptimizer(optimizer, decoded.optimizerState());
      decoded.parameterValues().forEach(Parameter::assign);
    } catch (RuntimeException e) {
      optimizer.restoreState(previousState);
      previousValues.forEach(Parameter::assign);
      throw new CheckpointException(file, e.getMessage() + "; nothing was changed", e);
    }
  }

  /**
   * Restores the state keyed as {@code optimizer} keys it: by dotted path if it was built from the
   * model's {@code namedParameters()}, by {@code Parameter.name()} if from a plain list. The
   * optimizer does not say which, so the path is tried first; a refused restore changes nothing.
   */
  private static void restoreOptimizer(Optimizer optimizer, CheckpointFit.OptimizerStates states) {
    try {
      optimizer.restoreState(states.byPath());
    } catch (IllegalArgumentException byPath) {
      if (states.byName() == null) {
        throw byPath;
      }
      optimizer.restoreState(states.byName());
    }
  }

  /**
   * Rejects, before reading it, a header over {@link #MAX_HEADER_BYTES} and a file larger than any
   * checkpoint of {@code model} can be, so that a hostile file cannot make the reader allocate.
   */
  private static void checkSize(Path file, Layer model, Map<String, Shape> carriedShapes)
      throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (headerLength(file, channel) < 0) {
        return;
      }
      long carriedBytes = MAX_CARRIED_BYTES;
      if (carriedShapes != null) {
        carriedBytes = 0;
        for (Shape shape : carriedShapes.values()) {
          carriedBytes += 8L * shape.size();
        }
      }
      long maxData = 8L * model.parameterCount() * (1 + MAX_SLOTS_PER_PARAMETER) + carriedBytes;
      long maxSize = 8 + MAX_HEADER_BYTES + maxData;
      if (size > maxSize) {
        throw new CheckpointException(
            file,
            "the file has "
                + size
                + " bytes, more than any checkpoint of "
                + model.name()
                + " ("
                + model.parameterCount()
                + " weights) can hold: at most "
                + maxSize);
      }
    }
  }
}
