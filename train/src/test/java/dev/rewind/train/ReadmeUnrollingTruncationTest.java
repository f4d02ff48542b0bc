package dev.rewind.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Linear;
import dev.rewind.layers.Recurrent.Unrolled;
import dev.rewind.layers.loss.Losses;
import dev.rewind.layers.loss.Reduction;
import dev.rewind.layers.lstm.LstmCell;
import dev.rewind.layers.lstm.LstmState;
import dev.rewind.layers.seq.ManyToMany;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The README's masked LSTM example, truncated by the loop: windows of 2 steps make 3 optimizer
 * steps, and one window covering the 5 steps gives exactly the gradients of full BPTT.
 */
class ReadmeUnrollingTruncationTest {

  @Test
  void windowsOfTwoTakeThreeStepsAndOneWindowIsFullBptt() {
    Random random = new Random(7);
    LstmCell cell = LstmCell.random(4, 8, random);
    Linear readout = new Linear(8, 4, random);
    ManyToMany<LstmState> model = new ManyToMany<>(cell, readout);
    Tensor inputs = Tensor.randomNormal(Shape.of(2, 5, 4), 0, 1, random);
    Tensor mask = Tensor.matrix(new double[][] {{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}});
    int[][] targets = {{0, 1, 2, 3, 0}, {1, 2, 3, -1, -1}};
    Tensor targetTensor = Batch.indexTensor(targets);
    TrainingStep<LstmState> step =
        (batch, state, generator) -> {
          Unrolled<LstmState> run = model.run(Var.constant(batch.inputs()), state, batch.mask());
          Var loss =
              Losses.softmaxCrossEntropy(
                  run.stacked(), batch.targetIndices(), Reduction.SUM, batch.mask());
          return StepResult.of(loss, run.finalState());
        };

    Gradients full;
    try (Tape tape = Tape.record()) {
      Var logits = model.run(Var.constant(inputs), null, mask).stacked();
      Var loss = Losses.softmaxCrossEntropy(logits, targets, Reduction.SUM, mask);
      full = tape.gradient(loss, model.parameters());
    }
    RecordingOptimizer windows = new RecordingOptimizer(model.parameters());
    RecordingOptimizer oneWindow = new RecordingOptimizer(model.parameters());
    for (int k : new int[] {2, 5}) {
      Trainer<LstmState> trainer =
          Trainer.builder(model, k == 2 ? windows : oneWindow, 2, cell::initialState)
              .source(position -> Batch.masked(inputs, targetTensor, mask))
              .step(step)
              .truncate(k)
              .build();
      FitResult unused = trainer.fit(k == 2 ? 3 : 1);
    }

    assertEquals(3, windows.steps());
    assertEquals(full.tensor(cell.parameters().get(1)), oneWindow.summed(cell.parameters().get(1)));
  }
}
