package dev.rewind.layers.io;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.Maps;
import dev.rewind.autodiff.io.Safetensors;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Layer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Saves a layer's parameters to a safetensors file and loads them back, keyed by {@link
 * Layer#namedParameters} ({@code layers.0.weightIh}, …), as PyTorch's {@code state_dict}.
 *
 * <p>Each parameter is saved in its dtype ({@code F64} or {@code F32}). Loading copies each value
 * into the parameter's existing dtype, as PyTorch's {@code load_state_dict} does: an {@code F32}
 * value goes into a float64 parameter exactly, an {@code F64} one into a float32 parameter rounded
 * to the nearest float; a parameter's dtype never changes (that is {@link Layer#to}'s job).
 *
 * <p>Loading is all or nothing: every parameter must be in the file with its shape and the file may
 * hold nothing else; otherwise an {@link IllegalArgumentException} lists every mismatch — naming
 * the layer, the parameter and both shapes — and no parameter has changed. The names and shapes a
 * file declares are compared before any of its data is read, so a file declaring a tensor far
 * larger than the parameter is refused without allocating it.
 *
 * <pre>{@code
 * LayerWeights.save(cell, Path.of("lstm.safetensors"));
 * LayerWeights.load(otherCell, Path.of("lstm.safetensors"));
 * }</pre>
 */
public final class LayerWeights {
  private LayerWeights() {}

  /** Every parameter's current value, keyed by its dotted name, in the layer's order. */
  public static ImmutableMap<String, Tensor> values(Layer layer) {
    ImmutableMap.Builder<String, Tensor> values = ImmutableMap.builder();
    for (Map.Entry<String, Parameter> entry : layer.namedParameters().entrySet()) {
      values.put(entry.getKey(), entry.getValue().value());
    }
    return values.buildOrThrow();
  }

  /**
   * Writes every parameter in its dtype to {@code file}, atomically (see {@link
   * Safetensors#write}).
   */
  public static void save(Layer layer, Path file) throws IOException {
    Safetensors.write(file, values(layer), Map.of("module", layer.name()));
  }

  /**
   * Replaces every parameter's value with the file's, converted to the parameter's dtype.
   *
   * @throws IllegalArgumentException if the file lacks a parameter, holds one of another shape or
   *     holds a tensor that is no parameter; then nothing has changed
   * @throws dev.rewind.autodiff.io.SafetensorsException if the file is not valid safetensors
   */
  public static void load(Layer layer, Path file) throws IOException {
    String source = "file " + file;
    checkFits(layer, Safetensors.readHeader(file).shapes(), source);
    assign(layer, Safetensors.read(file), source);
  }

  /**
   * Replaces every parameter's value with {@code values}' entry of the same name, converted to the
   * parameter's dtype; all or nothing, as {@link #load}.
   */
  public static void assign(Layer layer, Map<String, Tensor> values) {
    assign(layer, values, "the given map");
  }

  private static void assign(Layer layer, Map<String, Tensor> values, String source) {
    checkFits(layer, Maps.transformValues(values, Tensor::shape), source);
    layer
        .namedParameters()
        .forEach((name, parameter) -> parameter.assign(values.get(name).to(parameter.dtype())));
  }

  /** Every parameter has its name and shape in {@code shapes}, and {@code shapes} nothing else. */
  private static void checkFits(Layer layer, Map<String, Shape> shapes, String source) {
    Map<String, Parameter> parameters = layer.namedParameters();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
      Shape shape = shapes.get(entry.getKey());
      if (shape == null) {
        problems.add(
            "parameter '"
                + entry.getKey()
                + "' "
                + entry.getValue().shape()
                + " is missing from "
                + source);
      } else if (!shape.equals(entry.getValue().shape())) {
        problems.add(
            "parameter '"
                + entry.getKey()
                + "' has shape "
                + entry.getValue().shape()
                + " where "
                + source
                + " has "
                + shape);
      }
    }
    for (String name : shapes.keySet()) {
      if (!parameters.containsKey(name)) {
        problems.add("'" + name + "' in " + source + " is not a parameter");
      }
    }
    checkArgument(
        problems.isEmpty(),
        "%s: cannot load %s, nothing was changed: %s",
        layer.name(),
        source,
        String.join("; ", problems));
  }
}
