package dev.rewind.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Parallelism;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Linear;
import dev.rewind.layers.loss.Losses;
import dev.rewind.layers.lstm.LstmCell;
import dev.rewind.layers.lstm.LstmState;
import dev.rewind.layers.seq.ManyToMany;
import dev.rewind.optim.Adam;
import dev.rewind.optim.Optimizer;
import dev.rewind.optim.ParameterGradients;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A training run gives the same parameters, to the bit, on one thread and on two: a checkpoint
 * resumes exactly on a machine with another number of cores.
 */
class ThreadCountTrainingTest {
  // Batch 64 and hidden 256: the recurrent product h W (64 x 256 x 1,024 multiply-adds) and the
  // LSTM's gates (16,384 hidden units) are both large enough to be cut into chunks.
  private static final int BATCH = 64;
  private static final int INPUTS = 16;
  private static final int HIDDEN = 256;
  private static final int OUTPUTS = 8;
  private static final int STEPS = 4;
  private static final int ADAM_STEPS = 3;

  @Test
  void anLstmTrainedWithAdamEndsWithTheSameBitsOnOneThreadAndOnTwo() {
    int before = Parallelism.threads();
    try {
      List<double[]> initial = train(0);
      List<double[]> one = train(1);
      List<double[]> two = train(2);

      assertEquals(one.size(), two.size());
      for (int i = 0; i < one.size(); i++) {
        assertArrayEquals(one.get(i), two.get(i), "parameter " + i);
        assertFalse(
            java.util.Arrays.equals(initial.get(i), one.get(i)), "parameter " + i + " moved");
      }
    } finally {
      Parallelism.setThreads(before);
    }
  }

  /**
   * The parameters' values after {@link #ADAM_STEPS} steps of Adam on {@code threads} threads (0:
   * none).
   */
  private static List<double[]> train(int threads) {
    Random random = new Random(42);
    LstmCell cell = LstmCell.random(INPUTS, HIDDEN, random);
    ManyToMany<LstmState> model = new ManyToMany<>(cell, new Linear(HIDDEN, OUTPUTS, random));
    Var inputs = Var.constant(Tensor.randomNormal(Shape.of(BATCH, STEPS, INPUTS), 0, 1, random));
    Var targets = Var.constant(Tensor.randomNormal(Shape.of(BATCH, STEPS, OUTPUTS), 0, 1, random));
    if (threads > 0) {
      Parallelism.setThreads(threads);
      Optimizer adam = Adam.builder(model.namedParameters()).learningRate(0.01).build();
      for (int step = 0; step < ADAM_STEPS; step++) {
        try (Tape tape = Tape.record()) {
          Var loss = Losses.meanSquaredError(model.run(inputs).stacked(), targets);
          var report = adam.step(ParameterGradients.from(tape.gradient(loss, model.parameters())));
        }
      }
    }
    List<double[]> values = new ArrayList<>();
    for (Parameter parameter : model.parameters()) {
      values.add(parameter.value().toArray());
    }
    return values;
  }
}
