package dev.rewind.optim;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * Writes an {@link OptimizerState} to bytes and reads it back exactly: doubles are stored as their
 * IEEE 754 bits, so a checkpoint restores an optimizer bit for bit.
 *
 * <pre>
 * "RWOS" version optimizer steps
 * scalarCount (name value)*
 * parameterCount (name slotCount (slot rank dim* value*)*)*
 * </pre>
 */
public final class OptimizerStateCodec {
  private static final int MAGIC = 0x52574f53; // "RWOS"
  private static final int VERSION = 1;

  private OptimizerStateCodec() {}

  /** Writes {@code state} to {@code out}; the stream is flushed, not closed. */
  public static void write(OptimizerState state, OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    data.writeInt(MAGIC);
    data.writeInt(VERSION);
    data.writeUTF(state.optimizer());
    data.writeLong(state.steps());
    data.writeInt(state.scalars().size());
    for (Map.Entry<String, Double> scalar : state.scalars().entrySet()) {
      data.writeUTF(scalar.getKey());
      data.writeDouble(scalar.getValue());
    }
    data.writeInt(state.slots().size());
    for (Map.Entry<String, ImmutableMap<String, Tensor>> parameter : state.slots().entrySet()) {
      data.writeUTF(parameter.getKey());
      data.writeInt(parameter.getValue().size());
      for (Map.Entry<String, Tensor> slot : parameter.getValue().entrySet()) {
        data.writeUTF(slot.getKey());
        writeTensor(slot.getValue(), data);
      }
    }
    data.flush();
  }

  /**
   * Reads a state written by {@link #write}.
   *
   * @throws IOException if the stream ends early
   * @throws IllegalArgumentException if the bytes are not an optimizer state of this version
   */
  public static OptimizerState read(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    int magic = data.readInt();
    checkArgument(magic == MAGIC, "optimizer state: not an optimizer state (magic %s)", magic);
    int version = data.readInt();
    checkArgument(version == VERSION, "optimizer state: version %s is not %s", version, VERSION);
    String optimizer = data.readUTF();
    long steps = data.readLong();
    ImmutableMap.Builder<String, Double> scalars = ImmutableMap.builder();
    int scalarCount = data.readInt();
    for (int i = 0; i < scalarCount; i++) {
      scalars.put(data.readUTF(), data.readDouble());
    }
    ImmutableMap.Builder<String, ImmutableMap<String, Tensor>> slots = ImmutableMap.builder();
    int parameterCount = data.readInt();
    for (int p = 0; p < parameterCount; p++) {
      String name = data.readUTF();
      ImmutableMap.Builder<String, Tensor> parameterSlots = ImmutableMap.builder();
      int slotCount = data.readInt();
      for (int s = 0; s < slotCount; s++) {
        parameterSlots.put(data.readUTF(), readTensor(data));
      }
      slots.put(name, parameterSlots.buildOrThrow());
    }
    return new OptimizerState(optimizer, steps, scalars.buildOrThrow(), slots.buildOrThrow());
  }

  private static void writeTensor(Tensor tensor, DataOutputStream data) throws IOException {
    int[] dims = tensor.shape().toArray();
    data.writeInt(dims.length);
    for (int dim : dims) {
      data.writeInt(dim);
    }
    for (double value : tensor.toArray()) {
      data.writeDouble(value);
    }
  }

  private static Tensor readTensor(DataInputStream data) throws IOException {
    int rank = data.readInt();
    checkArgument(rank >= 0, "optimizer state: tensor rank %s is negative", rank);
    int[] dims = new int[rank];
    for (int axis = 0; axis < rank; axis++) {
      dims[axis] = data.readInt();
    }
    Shape shape = Shape.of(dims);
    double[] values = new double[shape.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = data.readDouble();
    }
    return Tensor.of(shape, values);
  }
}
