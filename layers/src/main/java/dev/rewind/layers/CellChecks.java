package dev.rewind.layers;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tensor.Shape;

/**
 * The checks a cell makes before any op runs: the input is {@code [batch, inputSize]} at a step, or
 * {@code [batch, time, inputSize]} for a whole sequence, and every state tensor is {@code [batch,
 * hiddenSize]}. Each message names the cell, the weight or state, and both shapes.
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
   * RecurrentCell#prepare}.
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
   * Checks that the state tensor named {@code state} (for example {@code h} or {@code c}) has shape
   * {@code [batch, hiddenSize]} for the batch of {@code input}, which {@link #checkInput} passed.
   */
  public static void checkState(
      String cell, String state, Shape actual, Shape input, int hiddenSize) {
    Shape expected = Shape.of(input.dim(0), hiddenSize);
    checkArgument(
        actual.equals(expected),
        "%s: state %s has shape %s but input %s and %s hidden units need %s",
        cell,
        state,
        actual,
        input,
        hiddenSize,
        expected);
  }
}
