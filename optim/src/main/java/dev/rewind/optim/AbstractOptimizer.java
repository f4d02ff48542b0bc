package dev.rewind.optim;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Reductions;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.Arrays;
import java.util.HashMap;
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
 * <p>A slot is a {@code double[]} with one element per element of its parameter, which the
 * algorithm updates in place: a step copies no state. Exported state holds copies of the slots, and
 * restoring copies them back, so an exported {@link OptimizerState} never changes and never aliases
 * the arrays a later step writes. Parameter values are immutable tensors, which a recorded tape may
 * still hold; a step therefore gives each parameter a new tensor, computed in a {@link
 * #valueBuffer} and copied once by {@link #assign}.
 *
 * <p>Slots hold values of their parameter's dtype. For a float32 parameter a step reads its float32
 * value, gradient and slots, does its arithmetic in float64, and rounds each new value and slot
 * element once to float32: as accurate as float32 arithmetic or more, with one source for both
 * dtypes, and float64 parameters step exactly as if float32 did not exist. Exported slots are
 * tensors of the parameter's dtype, so a float32 state is exported and restored exactly. The dtype
 * is fixed when the slots are made: a parameter converted afterwards is refused at the next step,
 * and a state of another dtype by {@link #restoreState}; convert the state explicitly with {@link
 * OptimizerState#to}.
 *
 * <p>Subclasses implement only {@link #update}; never call it directly.
 */
public abstract class AbstractOptimizer implements Optimizer {
  private final String name;
  private final ImmutableList<Parameter> parameters;
  private final IdentityHashMap<Parameter, String> keys = new IdentityHashMap<>();
  private final IdentityHashMap<Parameter, Slots> slots = new IdentityHashMap<>();
  private final Map<Integer, double[]> valueBuffers = new HashMap<>();
  private final Map<String, Double> scalars = new LinkedHashMap<>();
  private long steps;

  /**
   * @param name the algorithm, used in error messages and to label exported state
   * @param parameters the parameters to update, keyed by the names their exported state is filed
   *     under (a layer's {@code namedParameters()}): at least one, no parameter twice
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
   *     the layer's {@code namedParameters()} instead, which keys them by path
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
    checkSlotDtypes();
    double[] norms = new double[parameters.size()];
    for (int i = 0; i < norms.length; i++) {
      norms[i] = Reductions.norm(checked.tensor(parameters.get(i)));
    }
    update(checked, steps);
    slots.values().forEach(Slots::roundToDtype);
    steps++;
    return StepReport.taken(Reductions.norm(Tensor.vector(norms)));
  }

  /**
   * Applies one step of the algorithm to every parameter, updating its slots in place and giving it
   * its next value with {@link #assign}.
   *
   * @param gradients one finite gradient per parameter, of its shape
   * @param step the number of steps taken before this one (0 for the first)
   */
  protected abstract void update(ParameterGradients gradients, long step);

  /** Refuses to step a parameter whose dtype changed since its slots were made. */
  private void checkSlotDtypes() {
    for (Parameter parameter : parameters) {
      Slots parameterSlots = slots.get(parameter);
      if (parameterSlots != null) {
        checkState(
            parameterSlots.dtype() == parameter.dtype(),
            "%s: parameter '%s' is %s but its optimizer state is %s; convert the state with"
                + " restoreState(exportState().to(DType))",
            name,
            keys.get(parameter),
            parameter.dtype(),
            parameterSlots.dtype());
      }
    }
  }

  /**
   * Whether {@code parameter} has a slot named {@code slot}, made at an earlier step or restored.
   */
  protected final boolean hasSlot(Parameter parameter, String slot) {
    Slots parameterSlots = slots.get(parameter);
    return parameterSlots != null && parameterSlots.arrays().containsKey(slot);
  }

  /**
   * The array of slot {@code slot} of {@code parameter}, one element per element of the parameter
   * in row-major order, for the algorithm to read and update in place. The first time it is asked
   * for (and not restored) it is made, filled with {@code initial} in the parameter's dtype; slots
   * are exported in the order they were made. The algorithm may write any double: after the step,
   * the slots of a float32 parameter are rounded to floats.
   */
  protected final double[] slot(Parameter parameter, String slot, double initial) {
    Slots parameterSlots =
        slots.computeIfAbsent(parameter, p -> new Slots(p.dtype(), new LinkedHashMap<>()));
    double[] values = parameterSlots.arrays().get(slot);
    if (values == null) {
      values = new double[parameter.value().size()];
      Arrays.fill(values, parameterSlots.representable(initial));
      parameterSlots.arrays().put(slot, values);
    }
    return values;
  }

  /**
   * An array of {@code parameter}'s size to compute its next value in, before {@link #assign}. It
   * is reused at every step, and shared by the parameters of the same size: its contents are
   * whatever the last use left, and it is valid until the next call.
   */
  protected final double[] valueBuffer(Parameter parameter) {
    return valueBuffers.computeIfAbsent(parameter.value().size(), double[]::new);
  }

  /**
   * Gives {@code parameter} the value {@code next}, row-major, as a new tensor of its dtype holding
   * a copy (each element rounded once to a float for a float32 parameter): the old value stays
   * valid for any tape that recorded it.
   */
  protected static void assign(Parameter parameter, double[] next) {
    parameter.assign(Tensor.of(parameter.shape(), parameter.dtype(), next));
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
      Slots parameterSlots = slots.get(parameter);
      if (parameterSlots != null) {
        ImmutableMap.Builder<String, Tensor> copies = ImmutableMap.builder();
        parameterSlots
            .arrays()
            .forEach(
                (slot, values) ->
                    copies.put(slot, Tensor.of(parameter.shape(), parameterSlots.dtype(), values)));
        exported.put(keys.get(parameter), copies.buildOrThrow());
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
        checkArgument(
            slot.getValue().dtype() == parameter.dtype(),
            "restoreState: slot '%s' of parameter '%s' is %s but the parameter is %s; convert the"
                + " state explicitly with OptimizerState.to(DType)",
            slot.getKey(),
            parameter.name(),
            slot.getValue().dtype(),
            parameter.dtype());
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
            (parameterName, parameterSlots) -> {
              Parameter parameter = byName.get(parameterName);
              Map<String, double[]> copies = new LinkedHashMap<>();
              // float32 slots widen exactly, so they come back as they were exported
              parameterSlots.forEach((slot, value) -> copies.put(slot, value.toArray()));
              slots.put(parameter, new Slots(parameter.dtype(), copies));
            });
    scalars.clear();
    scalars.putAll(state.scalars());
    steps = state.steps();
  }

  @Override
  public String toString() {
    return name + parameters.stream().map(keys::get).toList();
  }

  /**
   * One parameter's slots, in the order they were made, and the dtype of the values they hold: the
   * parameter's when they were made.
   */
  private record Slots(DType dtype, Map<String, double[]> arrays) {

    /** {@code value} as a value of this dtype: rounded to the nearest float for float32. */
    double representable(double value) {
      return dtype == DType.FLOAT32 ? (float) value : value;
    }

    /** Rounds every element written by a step to this dtype (nothing to do for float64). */
    void roundToDtype() {
      if (dtype == DType.FLOAT32) {
        for (double[] values : arrays.values()) {
          for (int i = 0; i < values.length; i++) {
            values[i] = representable(values[i]);
          }
        }
      }
    }
  }
}
