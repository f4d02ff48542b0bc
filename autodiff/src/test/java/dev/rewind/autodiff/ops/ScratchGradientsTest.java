package dev.rewind.autodiff.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.rewind.autodiff.ops.rnn.FusedSteps;
import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The fused Elman and GRU steps compute a gradient of each step in a per-thread scratch array that
 * the next step overwrites (the pre-activation gradient of an Elman step; the gradient of a GRU's
 * input projection): what a backward pass returns never shares it, so a later pass leaves the
 * gradients a user kept unchanged, for a batch of one (whose bias gradient sums nothing) too.
 */
class ScratchGradientsTest {
  private static final int FEATURES = 5;
  private static final int HIDDEN = 4;
  private static final int STEPS = 3;

  private final Random random = new Random(31);

  @Test
  void elmanStepGradientsSurviveTheNextBackwardPass() {
    for (int batch : new int[] {1, 3}) {
      assertKeptGradientsSurvive(
          batch,
          FEATURES,
          HIDDEN,
          v -> FusedSteps.rnnTanhCell(v.get(0), v.get(1), v.get(2), v.get(3), v.get(4)),
          false);
      assertKeptGradientsSurvive(
          batch,
          FEATURES,
          HIDDEN,
          v -> FusedSteps.rnnTanhCell(v.get(0), STEPS - 1, v.get(1), v.get(2), v.get(3), v.get(4)),
          true);
    }
  }

  @Test
  void gruStepGradientsSurviveTheNextBackwardPass() {
    for (int batch : new int[] {1, 3}) {
      assertKeptGradientsSurvive(
          batch,
          3 * HIDDEN,
          3 * HIDDEN,
          v -> FusedSteps.gruGates(v.get(0), v.get(1), v.get(2)),
          false);
      assertKeptGradientsSurvive(
          batch,
          3 * HIDDEN,
          3 * HIDDEN,
          v -> FusedSteps.gruGates(v.get(0), 1, v.get(1), v.get(2)),
          true);
    }
  }

  /**
   * Takes the gradients of every input of {@code step} (x {@code [B, width]}, or a sequence of such
   * steps, then the state and the weights), runs a second pass on other numbers, and asserts that
   * the first gradients did not change.
   */
  private void assertKeptGradientsSurvive(
      int batch, int width, int second, Function<List<Var>, Var> step, boolean sequence) {
    List<Tensor> kept = gradients(step, inputs(batch, width, second, sequence));
    List<double[]> copies = kept.stream().map(Tensor::toArray).toList();

    var unused = gradients(step, inputs(batch, width, second, sequence));

    for (int i = 0; i < kept.size(); i++) {
      assertArrayEquals(
          copies.get(i), kept.get(i).toArray(), "batch " + batch + ", gradient of input " + i);
    }
  }

  /**
   * For the Elman step: x, h, U, W, b; for the GRU's gates ({@code width = second = 3H}): ax, ah,
   * h.
   */
  private List<Var> inputs(int batch, int width, int second, boolean sequence) {
    Shape x = sequence ? Shape.of(batch, STEPS, width) : Shape.of(batch, width);
    List<Var> inputs = new ArrayList<>();
    inputs.add(normal(x));
    if (width == FEATURES) {
      inputs.add(normal(Shape.of(batch, HIDDEN)));
      inputs.add(normal(Shape.of(FEATURES, HIDDEN)));
      inputs.add(normal(Shape.of(HIDDEN, HIDDEN)));
      inputs.add(normal(Shape.of(HIDDEN)));
    } else {
      inputs.add(normal(Shape.of(batch, second)));
      inputs.add(normal(Shape.of(batch, HIDDEN)));
    }
    return inputs;
  }

  private Var normal(Shape shape) {
    return Var.constant(Tensor.randomNormal(shape, 0, 0.5, random));
  }

  private List<Tensor> gradients(Function<List<Var>, Var> step, List<Var> inputs) {
    try (Tape tape = Tape.record()) {
      Var out = step.apply(inputs);
      Tensor seed = Tensor.randomNormal(out.shape(), 0, 1, random);
      Gradients all = tape.gradient(out, seed, inputs);
      return inputs.stream().map(all::tensor).toList();
    }
  }
}
