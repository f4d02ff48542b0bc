package dev.rewind.layers.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Activation;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.elman.DeepJordanCell;
import dev.rewind.layers.elman.ElmanCell;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The README's code for the Elman and Jordan networks runs, and prints what the README says it
 * prints.
 */
class ReadmeExamplesTest {

  @Test
  void theElmanAndJordanExampleRuns() {
    Tensor u = Tensor.matrix(new double[][] {{-1.0, 0.5, 0.2}, {0.5, 0.1, -2.0}});
    Tensor w = Tensor.matrix(new double[][] {{2.0, 1.3, -1.0}, {1.5, 0.0, -0.5}, {-0.2, 1.5, 0.4}});
    Tensor v = Tensor.matrix(new double[][] {{2.0, -1.0}, {-1.5, 0.5}, {0.2, 0.8}});
    Tensor b = Tensor.vector(0.2, 0.2, 0.2);
    Tensor c = Tensor.vector(0.5, 0.1);

    ElmanCell cell = new ElmanCell(u, w, b, Activation.TANH).withOutput(v, c, Activation.SIGMOID);
    Var x = Var.constant(Tensor.of(new double[][][] {{{1, 2}, {-1, 1}, {0, 3}, {2, -1}}}));
    Recurrent.Unrolled<HiddenState> run = new Recurrent<>(cell).run(x);
    Tensor y = run.stacked().value(); // [1, 4, 2]: y(1) = (0.41, 0.37), …, y(4) = (0.55, 0.68)
    Tensor h4 = run.finalState().h().value(); // h(4) = (0.31, 0.71, 0.79)

    DeepJordanCell deep =
        DeepJordanCell.random(
            2, List.of(4, 3), 1, Activation.TANH, Activation.SIGMOID, new Random(7));

    assertEquals(0.41, y.get(0, 0, 0), 0.005);
    assertEquals(0.68, y.get(0, 3, 1), 0.005);
    assertEquals(0.79, h4.get(0, 2), 0.005);
    assertEquals(
        List.of(
            "layers.0.U",
            "layers.0.W",
            "layers.0.b",
            "layers.1.U",
            "layers.1.W",
            "layers.1.b",
            "layers.2.U",
            "layers.2.b"),
        List.copyOf(deep.namedParameters().keySet()));
  }
}
