package dev.rewind.optim;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.BiFunction;

/**
 * The gradients an optimizer steps with: one tensor per {@link Parameter}, of its shape and dtype,
 * keyed by the parameter's identity and kept in insertion order, optionally with the value of the
 * loss they are the gradients of (which iRprop+ needs). Immutable: clipping returns a new instance.
 *
 * <pre>{@code
 * try (Tape tape = Tape.record()) {
 *   Var loss = model.loss(batch);
 *   ParameterGradients gradients = ParameterGradients.from(tape.gradient(loss, parameters));
 *   optimizer.step(gradients.withLoss(loss.value().item()));
 * }
 * }</pre>
 */
public final class ParameterGradients {
  private final ImmutableList<Parameter> parameters;
  private final IdentityHashMap<Parameter, Tensor> tensors;
  private final OptionalDouble loss;

  private ParameterGradients(
      ImmutableList<Parameter> parameters,
      IdentityHashMap<Parameter, Tensor> tensors,
      OptionalDouble loss) {
    this.parameters = parameters;
    this.tensors = tensors;
    this.loss = loss;
  }

  /**
   * The gradients of every {@link Parameter} among the values {@code gradients} was requested for,
   * in the order they were requested; gradients of other values (inputs, states) are left out.
   */
  public static ParameterGradients from(Gradients gradients) {
    Builder builder = builder();
    for (Var key : gradients.keys()) {
      if (key instanceof Parameter parameter) {
        builder.put(parameter, gradients.tensor(parameter));
      }
    }
    return builder.build();
  }

  /** The gradients in {@code tensors}, in its iteration order. */
  public static ParameterGradients of(Map<Parameter, Tensor> tensors) {
    Builder builder = builder();
    tensors.forEach(builder::put);
    return builder.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The parameters that have a gradient here, in order. */
  public ImmutableList<Parameter> parameters() {
    return parameters;
  }

  public boolean contains(Parameter parameter) {
    return tensors.containsKey(parameter);
  }

  /**
   * The gradient of {@code parameter}.
   *
   * @throws IllegalArgumentException naming the parameter when it has no gradient here
   */
  public Tensor tensor(Parameter parameter) {
    Tensor tensor = tensors.get(parameter);
    checkArgument(tensor != null, "gradients: no gradient for parameter '%s'", parameter.name());
    return tensor;
  }

  /** The loss these are the gradients of, when it was given with {@link #withLoss}. */
  public OptionalDouble loss() {
    return loss;
  }

  /** The same gradients, recorded as the gradients of a loss of value {@code loss}. */
  public ParameterGradients withLoss(double loss) {
    return new ParameterGradients(parameters, tensors, OptionalDouble.of(loss));
  }

  /**
   * The gradients of {@code wanted}, in that order, checked: every one present and of its
   * parameter's shape and dtype. Gradients of other parameters are left out.
   *
   * @param operation names the caller in error messages
   * @throws IllegalArgumentException naming the parameter whose gradient is missing or has the
   *     wrong shape or dtype, with both shapes or both dtypes
   */
  public ParameterGradients restrictTo(List<Parameter> wanted, String operation) {
    IdentityHashMap<Parameter, Tensor> result = new IdentityHashMap<>();
    for (Parameter parameter : wanted) {
      Tensor gradient = tensors.get(parameter);
      checkArgument(
          gradient != null,
          "%s: no gradient for parameter '%s'; every parameter of the optimizer needs one",
          operation,
          parameter.name());
      checkFits(operation, parameter, gradient);
      result.put(parameter, gradient);
    }
    return new ParameterGradients(ImmutableList.copyOf(wanted), result, loss);
  }

  /**
   * The gradients with every tensor replaced by {@code f(parameter, gradient)}, which must keep its
   * shape and dtype; the loss is kept.
   */
  public ParameterGradients map(BiFunction<Parameter, Tensor, Tensor> f) {
    IdentityHashMap<Parameter, Tensor> result = new IdentityHashMap<>();
    for (Parameter parameter : parameters) {
      Tensor before = tensors.get(parameter);
      Tensor after = f.apply(parameter, before);
      checkArgument(
          after.shape().equals(before.shape()),
          "gradients: map turned the gradient of '%s' from shape %s into %s",
          parameter.name(),
          before.shape(),
          after.shape());
      checkArgument(
          after.dtype() == before.dtype(),
          "gradients: map turned the gradient of '%s' from %s into %s",
          parameter.name(),
          before.dtype(),
          after.dtype());
      result.put(parameter, after);
    }
    return new ParameterGradients(parameters, result, loss);
  }

  /** The names of the parameters whose gradient holds NaN or an infinity, in order. */
  public ImmutableList<String> nonFiniteParameters() {
    List<String> names = new ArrayList<>();
    for (Parameter parameter : parameters) {
      if (!tensors.get(parameter).isFinite()) {
        names.add(parameter.name());
      }
    }
    return ImmutableList.copyOf(names);
  }

  /**
   * Checks that every gradient is finite.
   *
   * @param operation names the caller in the error message
   * @throws NonFiniteGradientException naming the first parameter, element and value that are not
   */
  public void requireFinite(String operation) {
    for (Parameter parameter : parameters) {
      Tensor gradient = tensors.get(parameter);
      for (int i = 0; i < gradient.size(); i++) {
        double value = gradient.getFlat(i);
        if (!Double.isFinite(value)) {
          throw new NonFiniteGradientException(operation, parameter.name(), i, value);
        }
      }
    }
  }

  /**
   * Checks that {@code gradient} has {@code parameter}'s shape and dtype: a step computes in the
   * parameter's dtype, and converting a gradient silently would hide a model half converted.
   */
  private static void checkFits(String operation, Parameter parameter, Tensor gradient) {
    checkArgument(
        gradient.shape().equals(parameter.shape()),
        "%s: gradient for parameter '%s' has shape %s but the parameter has shape %s",
        operation,
        parameter.name(),
        gradient.shape(),
        parameter.shape());
    checkArgument(
        gradient.dtype() == parameter.dtype(),
        "%s: gradient for parameter '%s' is %s but the parameter is %s; convert one explicitly"
            + " with to(DType)",
        operation,
        parameter.name(),
        gradient.dtype(),
        parameter.dtype());
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("ParameterGradients{");
    for (Parameter parameter : parameters) {
      out.append(out.length() > "ParameterGradients{".length() ? ", " : "")
          .append(parameter.name())
          .append('=')
          .append(tensors.get(parameter));
    }
    loss.ifPresent(value -> out.append(", loss=").append(value));
    return out.append('}').toString();
  }

  /** Collects gradients one parameter at a time. */
  public static final class Builder {
    private final List<Parameter> parameters = new ArrayList<>();
    private final IdentityHashMap<Parameter, Tensor> tensors = new IdentityHashMap<>();

    private Builder() {}

    /**
     * Adds the gradient of {@code parameter}.
     *
     * @throws IllegalArgumentException if the parameter already has one, or the shapes or dtypes
     *     differ
     */
    @CanIgnoreReturnValue
    public Builder put(Parameter parameter, Tensor gradient) {
      checkArgument(
          !tensors.containsKey(parameter),
          "gradients: parameter '%s' was given two gradients",
          parameter.name());
      checkFits("gradients", parameter, gradient);
      parameters.add(parameter);
      tensors.put(parameter, gradient);
      return this;
    }

    public ParameterGradients build() {
      return new ParameterGradients(
          ImmutableList.copyOf(parameters), new IdentityHashMap<>(tensors), OptionalDouble.empty());
    }
  }
}
