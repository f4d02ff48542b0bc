package dev.rewind.optim;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.Reductions;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The skeleton of an optimizer: the public {@link #step} checks the gradients (present, of the
 * right shape, finite) before any parameter changes, then calls the algorithm's {@link #update};
 * per-parameter state lives in named slots keyed by parameter identity, and scalar state in named
 * scalars, so that exporting and restoring it is written once, here.
 *
 * <pre>
 * step(g):  check g  →  update(g, t)  →  t ← t + 1
 * </pre>
 *
 * <p>Subclasses implement only {@link #update}; never call it directly.
 */
public abstract class AbstractOptimizer implements Optimizer {
  private final String name;
  private final ImmutableList<Parameter> parameters;
  private final IdentityHashMap<Parameter, String> keys = new IdentityHashMap<>();
  private final IdentityHashMap<Parameter, Map<String, Tensor>> slots = new IdentityHashMap<>();
  private final Map<String, Double> scalars = new LinkedHashMap<>();
  private long steps;

  /**
   * @param name the algorithm, used in error messages and to label exported state
   * @param parameters the parameters to update, keyed by the names their exported state is filed
   *     under (a module's {@code namedParameters()}): at least one, no parameter twice
   */
  protected AbstractOptimizer(String name, ImmutableMap<String, Parameter> parameters) {
    this.name = name;
    this.parameters = parameters.values().asList();
    checkArgument(!parameters.isEmpty(), "%s: no parameters to optimize", name);
    parameters.forEach(
        (key, parameter) ->
            checkArgument(
                keys.put(parameter, key) == null, "%s: parameter '%s' is listed twice", name, key));
  }

  /**
   * The parameters keyed by their own names, for optimizers built from a plain list.
   *
   * @throws IllegalArgumentException if two share a name, as the same layer used twice does: pass
   *     the module's {@code namedParameters()} instead, which keys them by path
   */
  static ImmutableMap<String, Parameter> keyedByName(String optimizer, List<Parameter> parameters) {
    Map<String, Parameter> byName = new LinkedHashMap<>();
    for (Parameter parameter : parameters) {
      Parameter previous = byName.put(parameter.name(), parameter);
      checkArgument(
          previous == null || previous == parameter,
          "%s: two parameters are named '%s'; build the optimizer from the model's"
              + " namedParameters(), which keys them by path",
          optimizer,
          parameter.name());
      checkArgument(
          previous == null, "%s: parameter '%s' is listed twice", optimizer, parameter.name());
    }
    return ImmutableMap.copyOf(byName);
  }

  @Override
  public final ImmutableList<Parameter> parameters() {
    return parameters;
  }

  @Override
  public final long steps() {
    return steps;
  }

  /** The algorithm's name, as in error messages and exported state. */
  public final String name() {
    return name;
  }

  @CanIgnoreReturnValue
  @Override
  public final StepReport step(ParameterGradients gradients) {
    ParameterGradients checked = gradients.restrictTo(parameters, name);
    checked.requireFinite(name);
    double[] norms = new double[parameters.size()];
    for (int i = 0; i < norms.length; i++) {
      norms[i] = Reductions.norm(checked.tensor(parameters.get(i)));
    }
    update(checked, steps);
    steps++;
    return StepReport.taken(Reductions.norm(Tensor.vector(norms)));
  }

  /**
   * Applies one step of the algorithm to every parameter, with {@link Parameter#assign}.
   *
   * @param gradients one finite gradient per parameter, of its shape
   * @param step the number of steps taken before this one (0 for the first)
   */
  protected abstract void update(ParameterGradients gradients, long step);

  /** The tensor in slot {@code slot} of {@code parameter}, if one was stored. */
  protected final Optional<Tensor> slot(Parameter parameter, String slot) {
    Map<String, Tensor> parameterSlots = slots.get(parameter);
    return Optional.ofNullable(parameterSlots == null ? null : parameterSlots.get(slot));
  }

  /** Stores {@code value}, which has the parameter's shape, in slot {@code slot}. */
  protected final void putSlot(Parameter parameter, String slot, Tensor value) {
    checkArgument(
        value.shape().equals(parameter.shape()),
        "%s: slot '%s' of parameter '%s' must have shape %s, not %s",
        name,
        slot,
        parameter.name(),
        parameter.shape(),
        value.shape());
    slots.computeIfAbsent(parameter, p -> new LinkedHashMap<>()).put(slot, value);
  }

  /** The scalar named {@code scalar}, if one was stored. */
  protected final Optional<Double> scalar(String scalar) {
    return Optional.ofNullable(scalars.get(scalar));
  }

  protected final void putScalar(String scalar, double value) {
    scalars.put(scalar, value);
  }

  @Override
  public final OptimizerState exportState() {
    ImmutableMap.Builder<String, ImmutableMap<String, Tensor>> exported = ImmutableMap.builder();
    for (Parameter parameter : parameters) {
      Map<String, Tensor> parameterSlots = slots.get(parameter);
      if (parameterSlots != null) {
        exported.put(keys.get(parameter), ImmutableMap.copyOf(parameterSlots));
      }
    }
    return new OptimizerState(name, steps, ImmutableMap.copyOf(scalars), exported.buildOrThrow());
  }

  @Override
  public final void restoreState(OptimizerState state) {
    checkArgument(
        state.optimizer().equals(name),
        "restoreState: the state is from %s but this optimizer is %s",
        state.optimizer(),
        name);
    Map<String, Parameter> byName = new LinkedHashMap<>();
    for (Parameter parameter : parameters) {
      byName.put(keys.get(parameter), parameter);
    }
    for (Map.Entry<String, ImmutableMap<String, Tensor>> entry : state.slots().entrySet()) {
      Parameter parameter = byName.get(entry.getKey());
      checkArgument(
          parameter != null,
          "restoreState: the state holds parameter '%s', which %s does not optimize (it has %s)",
          entry.getKey(),
          name,
          byName.keySet());
      for (Map.Entry<String, Tensor> slot : entry.getValue().entrySet()) {
        checkArgument(
            slot.getValue().shape().equals(parameter.shape()),
            "restoreState: slot '%s' of parameter '%s' has shape %s but the parameter has shape %s",
            slot.getKey(),
            parameter.name(),
            slot.getValue().shape(),
            parameter.shape());
      }
    }
    // Slots are made at the first step, for every parameter at once (plain SGD makes none).
    if (!state.slots().isEmpty()) {
      for (String parameterName : byName.keySet()) {
        checkArgument(
            state.slots().containsKey(parameterName),
            "restoreState: the state has no entry for parameter '%s'",
            parameterName);
      }
    }
    slots.clear();
    state
        .slots()
        .forEach(
            (parameterName, parameterSlots) ->
                slots.put(byName.get(parameterName), new LinkedHashMap<>(parameterSlots)));
    scalars.clear();
    scalars.putAll(state.scalars());
    steps = state.steps();
  }

  @Override
  public String toString() {
    return name + parameters.stream().map(keys::get).toList();
  }
}
