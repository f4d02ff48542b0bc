package dev.rewind.layers.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.check.GradCheck;
import dev.rewind.autodiff.check.GradCheckResult;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Activation;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.elman.ElmanCell;
import dev.rewind.layers.loss.Losses;
import dev.rewind.layers.loss.Reduction;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The README's code for checking hand-derived BPTT runs, and gives what the README says. */
class ReadmeExamplesTest {

  @Test
  void theHandDerivedBpttExampleRuns() {
    Random random = new Random(1);
    ElmanCell cell = ElmanCell.random(4, 5, 3, Activation.TANH, Activation.IDENTITY, random);
    Tensor inputs = Tensor.randomNormal(Shape.of(2, 6, 4), 0, 1, random); // [batch, time, in]
    int[][] targets = {{0, 2, 1, 1, 0, 2}, {1, 1, 0, 2, 2, 0}}; // d(t)

    ElmanBptt.Result byHand = ElmanBptt.of(cell).softmaxCrossEntropy(inputs, targets);
    GradCheck tape =
        GradCheck.of(
            weights ->
                Losses.softmaxCrossEntropy(
                    new Recurrent<>(cell.withWeights(weights)).run(Var.constant(inputs)).stacked(),
                    targets,
                    Reduction.SUM));
    Tensor[] values = cell.parameters().stream().map(Parameter::value).toArray(Tensor[]::new);
    GradCheckResult result =
        tape.tolerance(1e-10).checkHandDerived(byHand.parameterGradients(), values).orThrow();

    assertTrue(result.worstError() < 1e-12, result::toString);
    assertEquals(6, byHand.hiddenGradients().size());
  }

  @Test
  void theScalarNetExampleRuns() {
    Tensor bits =
        Tensor.matrix(new double[][] {{1, 0, 1, 1, 0, 0, 1, 0}, {0, 1, 1, 1, 1, 0, 0, 1}});
    Tensor sums = Tensor.vector(4, 5);

    ScalarLinearRnn net = new ScalarLinearRnn(0.9, 1.1); // f_t = f_{t−1} v_f + x_t v_x
    double dEdVx = net.gradientVx(bits, sums); // (22)
    double dEdVf = net.gradientVf(bits, sums); // (26)

    assertTrue(dEdVx < 0 && dEdVf < 0, dEdVx + ", " + dEdVf); // v_f < 1 undercounts early bits
  }
}
