package dev.rewind.layers;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Something with named trainable parameters, in a stable order. A layer registers its own
 * parameters and its child layers in its constructor; {@link #namedParameters} lists them with
 * dotted paths ({@code layers.0.weightHh}), children's after the layer's own, each parameter once
 * even when it is reachable twice — as PyTorch's {@code named_parameters}.
 *
 * <p>A layer is in training mode or in evaluation mode, as PyTorch's: {@link #train()} and {@link
 * #eval()} set the mode of a layer and of every layer below it. A new layer is in training mode.
 * Only what behaves differently in the two modes reads it ({@link StackedCell}'s dropout between
 * layers, {@link VariationalDropout}); everything else computes the same in both.
 *
 * <p>What draws random numbers in training mode draws them from a generator: the one it was built
 * with, until {@link #useGenerator} hands another down. The training loop hands every step the
 * run's generator, which each checkpoint saves, so that a resumed run draws the same dropout masks
 * as an uninterrupted one.
 */
public abstract class Layer {
  private final Map<String, Parameter> parameters = new LinkedHashMap<>();
  private final Map<String, Layer> children = new LinkedHashMap<>();
  private boolean training = true;
  // NOTE: null in a layer that draws nothing until a generator is handed down.
  private Random generator;

  /** Registers a new parameter of this layer under {@code name}. */
  protected final Parameter parameter(String name, Tensor initial) {
    return parameter(new Parameter(name, initial));
  }

  /** Registers an existing parameter (one shared with another layer, say) under its name. */
  @CanIgnoreReturnValue
  protected final Parameter parameter(Parameter parameter) {
    checkName(parameter.name());
    parameters.put(parameter.name(), parameter);
    return parameter;
  }

  /** Registers a child layer whose parameters are listed under {@code name.}. */
  @CanIgnoreReturnValue
  protected final <M extends Layer> M child(String name, M layer) {
    checkName(name);
    children.put(name, layer);
    return layer;
  }

  /**
   * Registers {@code part} as a child under {@code name} if it is a layer; a lambda or any other
   * part has no parameters for this layer to list.
   */
  protected final void registerIfLayer(String name, Object part) {
    if (part instanceof Layer layer) {
      child(name, layer);
    }
  }

  /**
   * Puts this layer and every layer below it in training mode (dropout drops), and returns this
   * layer.
   */
  @CanIgnoreReturnValue
  public final Layer train() {
    return train(true);
  }

  /**
   * Puts this layer and every layer below it in evaluation mode (dropout is the identity), and
   * returns this layer.
   */
  @CanIgnoreReturnValue
  public final Layer eval() {
    return train(false);
  }

  /**
   * Puts this layer and every layer below it in training mode if {@code training}, else in
   * evaluation mode, and returns this layer.
   */
  @CanIgnoreReturnValue
  public final Layer train(boolean training) {
    this.training = training;
    for (Layer child : children.values()) {
      child.train(training);
    }
    return this;
  }

  /**
   * Makes this layer and every layer below it draw their random numbers (dropout masks) from {@code
   * generator} from now on, and returns this layer. Hand down the generator whose state you save,
   * as the training loop does with the run's: then a resumed run, or a step replayed from a copy of
   * the generator, draws exactly the masks of the run it continues.
   */
  @CanIgnoreReturnValue
  public final Layer useGenerator(Random generator) {
    this.generator = checkNotNull(generator, "%s: useGenerator(null)", name());
    for (Layer child : children.values()) {
      child.useGenerator(generator);
    }
    return this;
  }

  /**
   * The generator this layer draws from: the last one handed down, else the one it was built with.
   */
  protected final Random generator() {
    checkState(generator != null, "%s: draws random numbers but has no generator", name());
    return generator;
  }

  /** Sets the generator this layer alone draws from until one is handed down: for constructors. */
  final void drawFrom(Random generator) {
    this.generator = checkNotNull(generator, "%s: a null generator", name());
  }

  /** Applies {@code action} to this layer and to every layer below it, parents first. */
  final void visit(Consumer<Layer> action) {
    action.accept(this);
    for (Layer child : children.values()) {
      child.visit(action);
    }
  }

  /** Whether this layer is in training mode: true until {@link #eval()} is called. */
  public final boolean isTraining() {
    return training;
  }

  /** Every parameter, keyed by its dotted path, in registration order. */
  public final ImmutableMap<String, Parameter> namedParameters() {
    Map<String, Parameter> result = new LinkedHashMap<>();
    collect("", result, new IdentityHashMap<>());
    return ImmutableMap.copyOf(result);
  }

  /**
   * Converts every parameter of this layer and of every layer below it to {@code dtype}, in place,
   * and returns this layer: PyTorch's {@code module.to(dtype)}. Inputs must then have that dtype
   * too; an op on two dtypes is an error.
   */
  @CanIgnoreReturnValue
  public final Layer to(DType dtype) {
    for (Parameter parameter : parameters()) {
      parameter.convertTo(dtype);
    }
    return this;
  }

  /**
   * The dtype of this layer's parameters: float64 unless {@link #to} converted them, and float64
   * for a layer without parameters.
   *
   * @throws IllegalStateException if its parameters have different dtypes
   */
  public final DType dtype() {
    DType dtype = null;
    for (Map.Entry<String, Parameter> entry : namedParameters().entrySet()) {
      DType own = entry.getValue().dtype();
      checkState(
          dtype == null || own == dtype,
          "%s: parameter '%s' is %s but the ones before it are %s",
          name(),
          entry.getKey(),
          own,
          dtype);
      dtype = own;
    }
    return dtype == null ? DType.FLOAT64 : dtype;
  }

  /** Every parameter, in the order of {@link #namedParameters}. */
  public final ImmutableList<Parameter> parameters() {
    return namedParameters().values().asList();
  }

  /** The number of trainable scalars. */
  public final int parameterCount() {
    int count = 0;
    for (Parameter parameter : parameters()) {
      count += parameter.value().size();
    }
    return count;
  }

  /**
   * A table of every parameter — its dotted path, shape and number of weights — and the total, as
   * PyTorch's layer repr and Keras's {@code summary()} show them:
   *
   * <pre>
   * Container, 1,208 weights
   *   scale       [1]           1
   *   layers.0.U  [2, 3]        6
   *   layers.0.W  [30, 40]  1,200
   *   layers.1.b  [1, 1]        1
   * </pre>
   */
  public final String summary() {
    ImmutableMap<String, Parameter> named = namedParameters();
    int pathWidth = 0;
    int shapeWidth = 0;
    for (Map.Entry<String, Parameter> entry : named.entrySet()) {
      pathWidth = Math.max(pathWidth, entry.getKey().length());
      shapeWidth = Math.max(shapeWidth, entry.getValue().shape().toString().length());
    }
    String total = String.format(Locale.ROOT, "%,d", parameterCount());
    StringBuilder table = new StringBuilder(name()).append(", ").append(total).append(" weights\n");
    for (Map.Entry<String, Parameter> entry : named.entrySet()) {
      table.append(
          String.format(
              Locale.ROOT,
              "  %-" + pathWidth + "s  %-" + shapeWidth + "s  %," + total.length() + "d\n",
              entry.getKey(),
              entry.getValue().shape(),
              entry.getValue().value().size()));
    }
    return table.toString();
  }

  /** A short name for messages: the class name. */
  public String name() {
    return getClass().getSimpleName();
  }

  private void collect(String prefix, Map<String, Parameter> into, Map<Parameter, Boolean> seen) {
    for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
      if (seen.put(entry.getValue(), Boolean.TRUE) == null) {
        into.put(prefix + entry.getKey(), entry.getValue());
      }
    }
    for (Map.Entry<String, Layer> entry : children.entrySet()) {
      entry.getValue().collect(prefix + entry.getKey() + ".", into, seen);
    }
  }

  private void checkName(String name) {
    checkArgument(
        !name.isEmpty() && !name.contains("."),
        "%s: name '%s' must be non-empty and without dots",
        name(),
        name);
    checkArgument(
        !parameters.containsKey(name) && !children.containsKey(name),
        "%s: name '%s' is already registered",
        name(),
        name);
  }
}
