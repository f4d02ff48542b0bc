package dev.rewind.layers.elman;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Activation;
import dev.rewind.layers.Recurrent;
import java.util.List;
import java.util.Random;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Note 001's cell {@code h_t = tanh(W [x_t; h_{t−1}])} is note 000's Elman cell without a bias:
 * with the concatenated cell's W the Elman matrices stacked, {@code [U; W]}, both give the same
 * outputs, and the tape's gradient of the one matrix is the two gradients stacked.
 */
class ConcatenatedElmanProperties {
  private static final double SAME = 1e-13;

  @Property(tries = 50, seed = "1101", edgeCases = EdgeCasesMode.NONE)
  void concatenatedCellIsElmanWithStackedWeights(
      @ForAll @IntRange(min = 1, max = 4) int inputSize,
      @ForAll @IntRange(min = 1, max = 4) int hiddenSize,
      @ForAll @IntRange(min = 1, max = 3) int batch,
      @ForAll @IntRange(min = 1, max = 8) int steps,
      @ForAll long seed) {
    Random random = new Random(seed);
    ElmanCell elman =
        new ElmanCell(
            ElmanCell.random(inputSize, hiddenSize, Activation.TANH, random).u().value(),
            Tensor.randomUniform(Shape.of(hiddenSize, hiddenSize), -1, 1, random),
            Tensor.zeros(hiddenSize),
            Activation.TANH);
    ConcatenatedElmanCell concatenated =
        new ConcatenatedElmanCell(Layout.concat(List.of(elman.u().value(), elman.w().value()), 0));
    Var inputs = Var.constant(Tensor.randomNormal(Shape.of(batch, steps, inputSize), 0, 1, random));
    Var outputWeights =
        Var.constant(Tensor.randomNormal(Shape.of(batch, steps, hiddenSize), 0, 1, random));

    try (Tape tape = Tape.record()) {
      Var byElman = new Recurrent<>(elman).run(inputs).stacked();
      Var byConcatenated = new Recurrent<>(concatenated).run(inputs).stacked();
      assertTrue(byConcatenated.value().allClose(byElman.value(), SAME, SAME));

      Gradients elmanGradients =
          tape.gradient(byElman.mul(outputWeights).sum(), elman.u(), elman.w());
      Gradients concatenatedGradients =
          tape.gradient(byConcatenated.mul(outputWeights).sum(), concatenated.w());
      Tensor stacked =
          Layout.concat(
              List.of(elmanGradients.tensor(elman.u()), elmanGradients.tensor(elman.w())), 0);
      assertTrue(concatenatedGradients.tensor(concatenated.w()).allClose(stacked, SAME, SAME));
    }
  }
}
