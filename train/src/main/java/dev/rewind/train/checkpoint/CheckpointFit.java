package dev.rewind.train.checkpoint;

import static dev.rewind.train.checkpoint.CheckpointCodec.MODEL_PREFIX;
import static dev.rewind.train.checkpoint.CheckpointCodec.OPTIMIZER_PREFIX;
import static dev.rewind.train.checkpoint.CheckpointCodec.shown;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Layer;
import dev.rewind.optim.Optimizer;
import dev.rewind.optim.OptimizerState;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether a checkpoint's tensors fit this run: every model parameter by name, shape and dtype, the
 * optimizer's algorithm and every slot's parameter and shape, the carried state's names and shapes.
 * The first difference is thrown, naming the file; nothing is changed here.
 */
final class CheckpointFit {
  private CheckpointFit() {}

  /**
   * Every model parameter's value from {@code model.<name>}, each present, of its shape and of its
   * dtype: a checkpoint restores a run exactly, so a value of another dtype is refused, never
   * converted.
   */
  static ImmutableMap<Parameter, Tensor> parameterValues(
      Path file, Map<String, Tensor> tensors, Layer model) throws CheckpointException {
    Map<String, Parameter> parameters = model.namedParameters();
    ImmutableMap.Builder<Parameter, Tensor> values = ImmutableMap.builder();
    for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
      String name = entry.getKey();
      Shape expected = entry.getValue().shape();
      Tensor value = tensors.get(MODEL_PREFIX + name);
      if (value == null) {
        throw new CheckpointException(
            file, name + " " + expected + " is in the model but not in the checkpoint");
      }
      if (!value.shape().equals(expected)) {
        throw new CheckpointException(
            file, name + " has shape " + value.shape() + ", the model expects " + expected);
      }
      DType dtype = entry.getValue().dtype();
      if (value.dtype() != dtype) {
        throw new CheckpointException(
            file,
            name
                + " is "
                + value.dtype()
                + " in the checkpoint but "
                + dtype
                + " in the model; a checkpoint restores a run exactly and is never converted:"
                + " convert the model with Layer.to(DType) before loading");
      }
      values.put(entry.getValue(), value);
    }
    for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
      String key = entry.getKey();
      if (key.startsWith(MODEL_PREFIX)
          && !parameters.containsKey(key.substring(MODEL_PREFIX.length()))) {
        throw new CheckpointException(
            file,
            shown(key.substring(MODEL_PREFIX.length()))
                + " "
                + entry.getValue().shape()
                + " is in the checkpoint but not in the model "
                + model.name());
      }
    }
    return values.buildOrThrow();
  }

  /**
   * The optimizer's state {@code saved} in the file (slots keyed by dotted path), keyed by path and
   * by name (see {@link OptimizerStates}), after checking the algorithm and every slot's parameter
   * and shape.
   */
  static OptimizerStates optimizerState(
      Path file, OptimizerState saved, Layer model, Optimizer optimizer)
      throws CheckpointException {
    String kind = saved.optimizer();
    String expectedKind = optimizer.exportState().optimizer();
    if (!kind.equals(expectedKind)) {
      throw new CheckpointException(
          file,
          "the checkpoint's optimizer is "
              + shown(kind)
              + ", but this training uses "
              + expectedKind);
    }
    Map<Parameter, String> dotted = dottedNames(model);
    Map<String, Parameter> optimized = new LinkedHashMap<>();
    for (Parameter parameter : optimizer.parameters()) {
      String name = dotted.get(parameter);
      if (name == null) {
        throw new CheckpointException(
            file, "the optimizer updates '" + parameter.name() + "', which is not in the model");
      }
      optimized.put(name, parameter);
    }
    Map<String, ImmutableMap<String, Tensor>> slotsByName = saved.slots();
    for (Map.Entry<String, ImmutableMap<String, Tensor>> slots : slotsByName.entrySet()) {
      Parameter parameter = optimized.get(slots.getKey());
      for (Map.Entry<String, Tensor> slot : slots.getValue().entrySet()) {
        String key = OPTIMIZER_PREFIX + slots.getKey() + "." + slot.getKey();
        if (parameter == null) {
          throw new CheckpointException(
              file,
              "optimizer tensor "
                  + shown(key)
                  + " is not 'optimizer.<parameter>.<slot>' for a parameter the optimizer updates");
        }
        if (!slot.getValue().shape().equals(parameter.shape())) {
          throw new CheckpointException(
              file,
              key
                  + " has shape "
                  + slot.getValue().shape()
                  + ", the parameter "
                  + slots.getKey()
                  + " has "
                  + parameter.shape());
        }
      }
    }
    checkSameSlots(file, slotsByName, optimized.keySet());
    Map<String, ImmutableMap<String, Tensor>> byPath = new LinkedHashMap<>();
    Map<String, ImmutableMap<String, Tensor>> byName = new LinkedHashMap<>();
    boolean namesUnique = true;
    for (Map.Entry<String, Parameter> entry : optimized.entrySet()) {
      ImmutableMap<String, Tensor> parameterSlots = slotsByName.get(entry.getKey());
      if (parameterSlots != null) {
        byPath.put(entry.getKey(), parameterSlots);
        namesUnique &= byName.put(entry.getValue().name(), parameterSlots) == null;
      }
    }
    try {
      return new OptimizerStates(
          new OptimizerState(kind, saved.steps(), saved.scalars(), ImmutableMap.copyOf(byPath)),
          namesUnique
              ? new OptimizerState(
                  kind, saved.steps(), saved.scalars(), ImmutableMap.copyOf(byName))
              : null);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(file, e.getMessage(), e);
    }
  }

  /**
   * The optimizer's state keyed both ways an optimizer may key it: by dotted path (one built from a
   * model's {@code namedParameters()}) and by {@code Parameter.name()} (one built from a plain
   * list; null when two parameters share a name, as no such optimizer can exist).
   */
  record OptimizerStates(OptimizerState byPath, OptimizerState byName) {}

  /** Either no parameter has optimizer state (a fresh optimizer) or all have the same slots. */
  private static void checkSameSlots(
      Path file, Map<String, ImmutableMap<String, Tensor>> slotsByName, Set<String> optimized)
      throws CheckpointException {
    if (slotsByName.isEmpty()) {
      return;
    }
    Map.Entry<String, ImmutableMap<String, Tensor>> first =
        slotsByName.entrySet().iterator().next();
    for (String name : optimized) {
      Map<String, Tensor> slots = slotsByName.get(name);
      if (slots == null || !slots.keySet().equals(first.getValue().keySet())) {
        throw new CheckpointException(
            file,
            "the optimizer state of "
                + name
                + " has slots "
                + (slots == null ? List.of() : slots.keySet())
                + " but that of "
                + first.getKey()
                + " has "
                + first.getValue().keySet());
      }
    }
  }

  /** Each parameter's dotted path in {@code model}, by identity. */
  static Map<Parameter, String> dottedNames(Layer model) {
    Map<Parameter, String> dotted = new IdentityHashMap<>();
    model.namedParameters().forEach((name, parameter) -> dotted.put(parameter, name));
    return dotted;
  }

  /** The carried state must have exactly the names and shapes this run's state has. */
  static void checkCarried(Path file, Map<String, Tensor> carried, Map<String, Shape> expected)
      throws CheckpointException {
    for (Map.Entry<String, Shape> entry : expected.entrySet()) {
      Tensor value = carried.get(entry.getKey());
      if (value == null) {
        throw new CheckpointException(
            file,
            "carried state "
                + entry.getKey()
                + " "
                + entry.getValue()
                + " is in this run's state but not in the checkpoint");
      }
      if (!value.shape().equals(entry.getValue())) {
        throw new CheckpointException(
            file,
            "carried state "
                + entry.getKey()
                + " has shape "
                + value.shape()
                + ", this run's state has "
                + entry.getValue());
      }
    }
    for (Map.Entry<String, Tensor> entry : carried.entrySet()) {
      if (!expected.containsKey(entry.getKey())) {
        throw new CheckpointException(
            file,
            "carried state "
                + shown(entry.getKey())
                + " "
                + entry.getValue().shape()
                + " is in the checkpoint but not in this run's state");
      }
    }
  }
}
