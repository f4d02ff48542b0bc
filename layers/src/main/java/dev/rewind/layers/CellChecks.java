package dev.rewind.layers;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tensor.Shape;

/**
 * The checks a cell makes at each step, before any op runs: the input is {@code [batch, inputSize]}
 * (or its projection {@code [batch, width]}) and every state tensor is {@code [batch, hiddenSize]}.
 * Each message names the cell, the weight or state, and both shapes.
 */
public final class CellChecks {
  private CellChecks() {}

  /**
   * Checks that {@code input} is {@code [batch, inputSize]}, the features the weight named {@code
   * weight} expects.
   */
  public static void checkInput(String cell, Shape input, String weight, int inputSize) {
    checkArgument(
        input.rank() == 2 && input.dim(1) == inputSize,
        "%s: input %s has %s features but %s expects %s: inputs are [batch, %s]",
        cell,
        input,
        input.dim(-1),
        weight,
        inputSize,
        inputSize);
  }

  /**
   * Checks that {@code inputs} is {@code [batch, time, inputSize]}, a whole sequence for {@link
   * RecurrentCell#inputProjection}.
   */
  public static void checkSequence(String cell, Shape inputs, String weight, int inputSize) {
    checkArgument(
        inputs.rank() == 3 && inputs.dim(2) == inputSize,
        "%s: inputs %s must be [batch, time, %s], the features %s expects",
        cell,
        inputs,
        inputSize,
        weight);
  }

  /**
   * Checks that a step's share of the projected inputs, named {@code what}, is {@code [batch,
   * width]}: what {@link RecurrentCell#stepFromProjection} takes.
   */
  public static void checkProjection(String cell, Shape projected, String what, int width) {
    checkArgument(
        projected.rank() == 2 && projected.dim(1) == width,
        "%s: the projected input %s has shape %s but must be [batch, %s]",
        cell,
        what,
        projected,
        width);
  }

  /**
   * Checks that the state tensor named {@code state} (for example {@code h} or {@code c}) has shape
   * {@code [batch, hiddenSize]} for the batch of {@code input}, which {@link #checkInput} passed.
   */
  public static void checkState(
      String cell, String state, Shape actual, Shape input, int hiddenSize) {
    checkState(cell, state, actual, "input " + input, input.dim(0), hiddenSize);
  }

  /**
   * Checks that the state tensor named {@code state} has shape {@code [batch, hiddenSize]} for the
   * batch of a step's projected input {@code projected}, which {@link #checkProjection} passed.
   */
  public static void checkStateForProjection(
      String cell, String state, Shape actual, Shape projected, int hiddenSize) {
    checkState(cell, state, actual, "projected input " + projected, projected.dim(0), hiddenSize);
  }

  private static void checkState(
      String cell, String state, Shape actual, String input, int batch, int hiddenSize) {
    Shape expected = Shape.of(batch, hiddenSize);
    checkArgument(
        actual.equals(expected),
        "%s: state %s has shape %s but %s and %s hidden units need %s",
        cell,
        state,
        actual,
        input,
        hiddenSize,
        expected);
  }
}
