package dev.rewind.layers.seq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Linear;
import dev.rewind.layers.loss.Losses;
import dev.rewind.layers.loss.Reduction;
import dev.rewind.layers.lstm.LstmCell;
import dev.rewind.layers.lstm.LstmState;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The README's example of masks, a scenario and a loss runs as printed. */
class ReadmeUnrollingExampleTest {

  @Test
  void readmeExampleRunsAsPrinted() {
    Random random = new Random(7);
    LstmCell cell = LstmCell.random(4, 8, random);
    Linear readout = new Linear(8, 4, random);
    ManyToMany<LstmState> model = new ManyToMany<>(cell, readout);

    Tensor inputs = Tensor.randomNormal(Shape.of(2, 5, 4), 0, 1, random);
    Tensor mask = Tensor.matrix(new double[][] {{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}});
    int[][] targets = {{0, 1, 2, 3, 0}, {1, 2, 3, -1, -1}};

    Gradients gradients;
    try (Tape tape = Tape.record()) {
      Var logits = model.run(Var.constant(inputs), null, mask).stacked();
      Var loss = Losses.softmaxCrossEntropy(logits, targets, Reduction.SUM, mask);
      gradients = tape.gradient(loss, model.parameters());
    }

    assertEquals(
        List.of(
            "cell.weightIh",
            "cell.weightHh",
            "cell.biasIh",
            "cell.biasHh",
            "readout.weight",
            "readout.bias"),
        List.copyOf(model.namedParameters().keySet()));
    assertTrue(gradients.tensor(readout.weight()).isFinite());
  }
}
