package dev.rewind.optim;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An {@link OptimizerState} as the tensors and string metadata of a safetensors file, and back:
 * each slot is a tensor named {@code <parameter>.<slot>}; the algorithm, the step count and each
 * scalar are the metadata {@code optimizer}, {@code optimizer_steps} and {@code
 * optimizer_scalar.<name>}, a scalar written as its IEEE 754 bits ({@code 0x} and 16 hex digits) so
 * that it comes back exactly, NaN and -0.0 included.
 *
 * <pre>{@code
 * Safetensors.write(
 *     file, OptimizerStateTensors.tensors(state), OptimizerStateTensors.metadata(state));
 * Safetensors.Contents contents = Safetensors.readContents(file);
 * OptimizerState same =
 *     OptimizerStateTensors.fromTensors(contents.tensors(), contents.metadata());
 * }</pre>
 */
public final class OptimizerStateTensors {
  /** The metadata key of the algorithm's name. */
  public static final String OPTIMIZER = "optimizer";

  /** The metadata key of the number of steps taken. */
  public static final String STEPS = "optimizer_steps";

  /** The prefix of each scalar's metadata key. */
  public static final String SCALAR_PREFIX = "optimizer_scalar.";

  private static final Pattern BITS = Pattern.compile("0x[0-9a-f]{16}");
  private static final Pattern COUNT = Pattern.compile("[0-9]{1,19}");

  private OptimizerStateTensors() {}

  /**
   * Every slot of {@code state} as a tensor named {@code <parameter>.<slot>}, in parameter order.
   *
   * @throws IllegalArgumentException if a parameter name is empty or a slot name is empty or holds
   *     a dot, so that the name could not be split back
   */
  public static ImmutableMap<String, Tensor> tensors(OptimizerState state) {
    ImmutableMap.Builder<String, Tensor> tensors = ImmutableMap.builder();
    state
        .slots()
        .forEach(
            (parameter, slots) ->
                slots.forEach(
                    (slot, value) -> {
                      checkArgument(
                          !parameter.isEmpty() && !slot.isEmpty() && !slot.contains("."),
                          "optimizer state: parameter '%s' slot '%s': a parameter name must be"
                              + " non-empty, a slot name non-empty and without dots",
                          parameter,
                          slot);
                      tensors.put(parameter + "." + slot, value);
                    }));
    return tensors.buildOrThrow();
  }

  /** The algorithm, the step count and every scalar of {@code state}, as metadata. */
  public static ImmutableMap<String, String> metadata(OptimizerState state) {
    ImmutableMap.Builder<String, String> metadata = ImmutableMap.builder();
    metadata.put(OPTIMIZER, state.optimizer());
    metadata.put(STEPS, Long.toString(state.steps()));
    state
        .scalars()
        .forEach(
            (name, value) ->
                metadata.put(
                    SCALAR_PREFIX + name,
                    String.format("0x%016x", Double.doubleToRawLongBits(value))));
    return metadata.buildOrThrow();
  }

  /** Whether {@code key} is one of the metadata keys {@link #metadata} writes. */
  public static boolean isStateKey(String key) {
    return key.equals(OPTIMIZER)
        || key.equals(STEPS)
        || (key.startsWith(SCALAR_PREFIX) && key.length() > SCALAR_PREFIX.length());
  }

  /**
   * The state that {@link #tensors} and {@link #metadata} describe. Every tensor must be a slot;
   * metadata keys that {@link #isStateKey} does not know are ignored, so that the state can share a
   * file's metadata with other things.
   *
   * @throws IllegalArgumentException naming the first key that is missing or malformed
   */
  public static OptimizerState fromTensors(
      Map<String, Tensor> tensors, Map<String, String> metadata) {
    String optimizer = metadata.get(OPTIMIZER);
    checkArgument(
        optimizer != null && !optimizer.isEmpty(),
        "optimizer state: the metadata's '%s' is missing or empty",
        OPTIMIZER);
    String steps = metadata.get(STEPS);
    checkArgument(steps != null, "optimizer state: the metadata has no '%s'", STEPS);
    checkArgument(
        COUNT.matcher(steps).matches() && parses(steps),
        "optimizer state: metadata '%s' is %s, not a non-negative 64-bit integer",
        STEPS,
        shown(steps));
    Map<String, Double> scalars = new LinkedHashMap<>();
    metadata.forEach(
        (key, text) -> {
          if (key.startsWith(SCALAR_PREFIX) && isStateKey(key)) {
            checkArgument(
                BITS.matcher(text).matches(),
                "optimizer state: metadata %s is %s, not 0x and 16 hex digits",
                shown(key),
                shown(text));
            scalars.put(
                key.substring(SCALAR_PREFIX.length()),
                Double.longBitsToDouble(Long.parseUnsignedLong(text.substring(2), 16)));
          }
        });
    Map<String, Map<String, Tensor>> slots = new LinkedHashMap<>();
    tensors.forEach(
        (name, value) -> {
          int dot = name.lastIndexOf('.');
          checkArgument(
              dot > 0 && dot < name.length() - 1,
              "optimizer state: tensor %s is not named '<parameter>.<slot>'",
              shown(name));
          slots
              .computeIfAbsent(name.substring(0, dot), parameter -> new LinkedHashMap<>())
              .put(name.substring(dot + 1), value);
        });
    ImmutableMap.Builder<String, ImmutableMap<String, Tensor>> immutableSlots =
        ImmutableMap.builder();
    slots.forEach(
        (parameter, byName) -> immutableSlots.put(parameter, ImmutableMap.copyOf(byName)));
    return new OptimizerState(
        optimizer,
        Long.parseLong(steps),
        ImmutableMap.copyOf(scalars),
        immutableSlots.buildOrThrow());
  }

  private static boolean parses(String digits) {
    try {
      Long.parseLong(digits);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** A value quoted for a message, cut short: a hostile file may hold megabytes in one string. */
  private static String shown(String text) {
    return "'" + (text.length() > 60 ? text.substring(0, 60) + "…" : text) + "'";
  }
}
