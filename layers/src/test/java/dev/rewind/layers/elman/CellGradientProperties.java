package dev.rewind.layers.elman;

import static dev.rewind.layers.elman.Networks.assertCellPasses;
import static dev.rewind.layers.elman.Networks.awayFromZero;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.check.GradCheckResult;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Activation;
import dev.rewind.layers.BpttChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * BPTT from the tape equals central finite differences for every cell of the package, with respect
 * to the inputs and every parameter, element by element, on random sizes, sequences of 1 to 8 steps
 * and every activation, at GradCheck's default step and tolerance (1e-6). The loss weights every
 * output of every step. No try is discarded; see {@link Networks}.
 */
class CellGradientProperties {
  private static final int TRIES = 60;

  @Property(tries = TRIES, seed = "1001", edgeCases = EdgeCasesMode.NONE)
  void elmanGradientMatchesCentralDifferences(
      @ForAll @IntRange(min = 1, max = 3) int inputSize,
      @ForAll @IntRange(min = 1, max = 3) int hiddenSize,
      @ForAll @IntRange(min = 1, max = 3) int outputSize,
      @ForAll @IntRange(min = 1, max = 2) int batch,
      @ForAll @IntRange(min = 1, max = 8) int steps,
      @ForAll Activation hidden,
      @ForAll Activation output,
      @ForAll boolean withOutputLayer,
      @ForAll long seed) {
    Random random = new Random(seed);
    ElmanCell cell =
        Networks.wellConditioned(
            withOutputLayer
                ? ElmanCell.random(inputSize, hiddenSize, outputSize, hidden, output, random)
                : ElmanCell.random(inputSize, hiddenSize, hidden, random),
            random);
    assertCellPasses(cell, batch, steps, inputSize, cell.outputSize(), random);
  }

  @Property(tries = TRIES, seed = "1002", edgeCases = EdgeCasesMode.NONE)
  void concatenatedElmanGradientMatchesCentralDifferences(
      @ForAll @IntRange(min = 1, max = 3) int inputSize,
      @ForAll @IntRange(min = 1, max = 3) int hiddenSize,
      @ForAll @IntRange(min = 1, max = 2) int batch,
      @ForAll @IntRange(min = 1, max = 8) int steps,
      @ForAll Activation hidden,
      @ForAll long seed) {
    Random random = new Random(seed);
    ConcatenatedElmanCell cell =
        Networks.wellConditioned(
            new ConcatenatedElmanCell(
                ConcatenatedElmanCell.random(inputSize, hiddenSize, random).w().value(), hidden),
            random);
    assertCellPasses(cell, batch, steps, inputSize, hiddenSize, random);
  }

  @Property(tries = TRIES, seed = "1003", edgeCases = EdgeCasesMode.NONE)
  void jordanGradientMatchesCentralDifferences(
      @ForAll @IntRange(min = 1, max = 3) int inputSize,
      @ForAll @IntRange(min = 1, max = 3) int hiddenSize,
      @ForAll @IntRange(min = 1, max = 3) int outputSize,
      @ForAll @IntRange(min = 1, max = 2) int batch,
      @ForAll @IntRange(min = 1, max = 8) int steps,
      @ForAll Activation hidden,
      @ForAll Activation output,
      @ForAll long seed) {
    Random random = new Random(seed);
    JordanCell cell =
        Networks.wellConditioned(
            JordanCell.random(inputSize, hiddenSize, outputSize, hidden, output, random), random);
    assertCellPasses(cell, batch, steps, inputSize, outputSize, random);
  }

  @Property(tries = TRIES, seed = "1004", edgeCases = EdgeCasesMode.NONE)
  void deepElmanGradientMatchesCentralDifferences(
      @ForAll @IntRange(min = 1, max = 3) int inputSize,
      @ForAll @Size(min = 1, max = 3) List<@IntRange(min = 1, max = 3) Integer> hiddenSizes,
      @ForAll @IntRange(min = 1, max = 3) int outputSize,
      @ForAll @IntRange(min = 1, max = 2) int batch,
      @ForAll @IntRange(min = 1, max = 8) int steps,
      @ForAll Activation hidden,
      @ForAll Activation output,
      @ForAll long seed) {
    Random random = new Random(seed);
    DeepElmanCell cell =
        Networks.wellConditioned(
            DeepElmanCell.random(
                inputSize, new ArrayList<>(hiddenSizes), outputSize, hidden, output, random),
            random);
    assertCellPasses(cell, batch, steps, inputSize, outputSize, random);
  }

  @Property(tries = TRIES, seed = "1005", edgeCases = EdgeCasesMode.NONE)
  void deepJordanGradientMatchesCentralDifferences(
      @ForAll @IntRange(min = 1, max = 3) int inputSize,
      @ForAll @Size(min = 1, max = 3) List<@IntRange(min = 1, max = 3) Integer> hiddenSizes,
      @ForAll @IntRange(min = 1, max = 3) int outputSize,
      @ForAll @IntRange(min = 1, max = 2) int batch,
      @ForAll @IntRange(min = 1, max = 8) int steps,
      @ForAll Activation hidden,
      @ForAll Activation output,
      @ForAll long seed) {
    Random random = new Random(seed);
    DeepJordanCell cell =
        Networks.wellConditioned(
            DeepJordanCell.random(
                inputSize, new ArrayList<>(hiddenSizes), outputSize, hidden, output, random),
            random);
    assertCellPasses(cell, batch, steps, inputSize, outputSize, random);
  }

  @Property(tries = 25, seed = "1006", edgeCases = EdgeCasesMode.NONE)
  void elmanHessianMatchesCentralDifferencesOfTheGradient(
      @ForAll @IntRange(min = 1, max = 2) int inputSize,
      @ForAll @IntRange(min = 1, max = 2) int hiddenSize,
      @ForAll @IntRange(min = 1, max = 2) int outputSize,
      @ForAll @IntRange(min = 1, max = 3) int steps,
      @ForAll Activation hidden,
      @ForAll Activation output,
      @ForAll long seed) {
    Random random = new Random(seed);
    ElmanCell cell =
        Networks.wellConditioned(
            ElmanCell.random(inputSize, hiddenSize, outputSize, hidden, output, random), random);
    Tensor inputs = awayFromZero(Shape.of(1, steps, inputSize), 0.1, 1, random);
    Tensor weights = awayFromZero(Shape.of(1, steps, outputSize), 0.5, 1.5, random);
    GradCheckResult result =
        BpttChecks.overInputsAndParameters(
                ImmutableMap.of("x", inputs),
                cell,
                in -> Networks.weightedOutputs(cell, in.get("x"), weights))
            .checkSecondOrder();
    assertTrue(result.passed(), () -> cell + ": " + result);
  }
}
