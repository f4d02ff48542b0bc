package dev.rewind.spark;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Layer;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A copy of a model's parameters by name, small enough to broadcast: what an executor loads into
 * the model it builds, so that it computes with the driver's weights, in their dtype. Values are
 * carried as doubles, which hold a float32 value exactly.
 */
public final class ParameterValues implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String[] names;
  private final int[][] shapes;
  private final double[][] values;
  private final DType[] dtypes;

  private ParameterValues(String[] names, int[][] shapes, double[][] values, DType[] dtypes) {
    this.names = names;
    this.shapes = shapes;
    this.values = values;
    this.dtypes = dtypes;
  }

  /** The values of {@code model}'s parameters now, in its parameter order. */
  public static ParameterValues of(Layer model) {
    Map<String, Parameter> parameters = model.namedParameters();
    String[] names = new String[parameters.size()];
    int[][] shapes = new int[names.length][];
    double[][] values = new double[names.length][];
    DType[] dtypes = new DType[names.length];
    int i = 0;
    for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
      Tensor value = entry.getValue().value();
      names[i] = entry.getKey();
      shapes[i] = value.shape().toArray();
      values[i] = value.toArray();
      dtypes[i] = value.dtype();
      i++;
    }
    return new ParameterValues(names, shapes, values, dtypes);
  }

  /** The parameters' names, in order. */
  public List<String> names() {
    return ImmutableList.copyOf(names);
  }

  /**
   * Assigns these values to {@code model}'s parameters, converting each parameter to the dtype it
   * had on the driver: a replica built in float64 computes in float32 for a float32 model.
   *
   * @throws IllegalArgumentException naming the difference if the model's parameters are not these
   *     names and shapes, in this order; nothing is assigned then
   */
  public void loadInto(Layer model) {
    requireSameParameters(model, "parameter values");
    List<Parameter> parameters = model.parameters();
    for (int i = 0; i < names.length; i++) {
      parameters.get(i).convertTo(dtypes[i]);
      parameters.get(i).assign(Tensor.of(Shape.of(shapes[i]), dtypes[i], values[i]));
    }
  }

  /**
   * Checks that {@code model} has these parameters, by name, shape and order.
   *
   * @throws IllegalArgumentException naming {@code what}, the model and the first difference
   */
  void requireSameParameters(Layer model, String what) {
    Map<String, Parameter> parameters = model.namedParameters();
    checkArgument(
        parameters.keySet().equals(Set.of(names)),
        "%s: the model %s has parameters %s, but the values are of %s",
        what,
        model.name(),
        parameters.keySet(),
        names());
    int i = 0;
    for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
      Shape shape = entry.getValue().value().shape();
      checkArgument(
          entry.getKey().equals(names[i]),
          "%s: the model %s has parameter %s at position %s, but the values have %s there",
          what,
          model.name(),
          entry.getKey(),
          i,
          names[i]);
      checkArgument(
          shape.equals(Shape.of(shapes[i])),
          "%s: parameter %s of the model %s is %s, but its values are %s",
          what,
          names[i],
          model.name(),
          shape,
          Shape.of(shapes[i]));
      i++;
    }
  }
}
