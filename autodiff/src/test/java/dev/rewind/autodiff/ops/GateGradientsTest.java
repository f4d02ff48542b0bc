package dev.rewind.autodiff.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.rewind.autodiff.ops.rnn.FusedSteps;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The gate ops give the same gradients whether the backward pass is recorded (the backward op's
 * outputs) or not (the kernel's tensors, added straight into the sums), whichever of their outputs
 * is used; and the GRU's gates read from a sequence's projection give the numbers of those of the
 * selected step.
 */
class GateGradientsTest {
  private final Random random = new Random(31);

  @Test
  void lstmGatesGradientsAgreeRecordedOrNot() {
    int batch = 7;
    int hidden = 5;
    List<Tensor> inputs = List.of(normal(batch, 4 * hidden), normal(batch, hidden));
    assertAgree(
        in -> Var.concat(1, FusedSteps.lstmGates(in.get(0), in.get(1))),
        inputs,
        normal(batch, 2 * hidden));
    for (int output = 0; output < 2; output++) {
      int used = output;
      assertAgree(
          in -> FusedSteps.lstmGates(in.get(0), in.get(1)).get(used),
          inputs,
          normal(batch, hidden));
    }
  }

  @Test
  void gruGatesOfAStepGiveTheNumbersOfTheSelectedStep() {
    int batch = 3;
    int steps = 4;
    int hidden = 5;
    List<Var> inputs =
        List.of(
            Var.constant(Tensor.randomNormal(Shape.of(batch, steps, 3 * hidden), 0, 1, random)),
            Var.constant(normal(batch, 3 * hidden)),
            Var.constant(normal(batch, hidden)));
    for (int t = 0; t < steps; t++) {
      int step = t;
      BackwardPasses.assertSameNumbers(
          in -> FusedSteps.gruGates(in.get(0).select(1, step), in.get(1), in.get(2)),
          in -> FusedSteps.gruGates(in.get(0), step, in.get(1), in.get(2)),
          inputs,
          normal(batch, hidden),
          "step " + step);
    }
  }

  @Test
  void gruGatesGradientsAgreeRecordedOrNot() {
    int batch = 7;
    int hidden = 5;
    assertAgree(
        in -> FusedSteps.gruGates(in.get(0), in.get(1), in.get(2)),
        List.of(normal(batch, 3 * hidden), normal(batch, 3 * hidden), normal(batch, hidden)),
        normal(batch, hidden));
  }

  private Tensor normal(int rows, int columns) {
    return Tensor.randomNormal(Shape.of(rows, columns), 0, 1, random);
  }

  private static void assertAgree(Function<List<Var>, Var> op, List<Tensor> values, Tensor seed) {
    List<Var> inputs = values.stream().map(Var::constant).toList();
    List<Tensor> recorded = BackwardPasses.gradients(op, inputs, seed, true);
    List<Tensor> direct = BackwardPasses.gradients(op, inputs, seed, false);
    for (int i = 0; i < inputs.size(); i++) {
      assertNotNull(direct.get(i), "gradient of input " + i);
      assertArrayEquals(
          recorded.get(i).toArray(), direct.get(i).toArray(), "gradient of input " + i);
    }
  }
}
