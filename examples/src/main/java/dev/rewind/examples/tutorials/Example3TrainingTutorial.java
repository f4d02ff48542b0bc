package dev.rewind.examples.tutorials;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.datasets.ClassBatch;
import dev.rewind.datasets.tasks.RandomClassification;
import dev.rewind.examples.Plots;
import dev.rewind.examples.Tutorial;
import dev.rewind.examples.TutorialRun;
import dev.rewind.layers.Activation;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.Recurrent.Unrolled;
import dev.rewind.layers.elman.ElmanCell;
import dev.rewind.layers.loss.Losses;
import dev.rewind.optim.Adam;
import dev.rewind.optim.Optimizer;
import dev.rewind.train.Batch;
import dev.rewind.train.StepResult;
import dev.rewind.train.Trainer;
import java.io.IOException;
import java.util.List;
import java.util.Random;

/**
 * Example 3 of note 000 (000_a414762ec7da5e42.txt): an Elman network with 5 tanh hidden units and a
 * softmax output is trained on 16 random sequences of 64 steps of 8 inputs, each step labelled with
 * a random class in {0, 1, 2}; the tutorial writes the learning curve and the predicted against the
 * true labels of one sequence, as the note plots them.
 */
public final class Example3TrainingTutorial implements Tutorial {
  static final int HIDDEN = 5;
  static final int EPOCHS = 800;
  static final double LEARNING_RATE = 0.003;

  @Override
  public String id() {
    return "example3-training";
  }

  @Override
  public String summary() {
    return "Note 000, Example 3: train an Elman network on random labels; learning curve, labels";
  }

  @Override
  public void run(TutorialRun run) throws IOException {
    Random random = run.random();
    RandomClassification task = RandomClassification.EXAMPLE_3;
    ClassBatch data = task.generate(RandomClassification.SEQUENCES, random);
    int[][] labels = data.targetArray();
    int classes = task.classes();
    run.say(
        "Note 000, Example 3: %d sequences of %d steps, each step %d random inputs in [0, 1)",
        data.size(), data.steps(), task.features());
    run.say(
        "and a random label in {0, 1, 2}. The labels have nothing to do with the inputs, so the");
    run.say(
        "network can only memorise them: chance is 1/3 right, a loss of ln 3 = %.4f.",
        Math.log(classes));
    run.say(
        "The network, as the note's code: an Elman net with %d tanh hidden units and 3 linear",
        HIDDEN);
    run.say(
        "outputs u(t) = Vᵀ h(t) + c, trained with the softmax cross-entropy of u(t) at every step;");
    run.say("weights from a truncated normal with std 1/√fan-in, biases 0. The note runs 25,000");
    run.say(
        "steps of learning rate 0.0001; here Adam with rate %s for %d full-batch epochs.",
        LEARNING_RATE, EPOCHS);

    ElmanCell cell =
        new ElmanCell(
            truncatedNormal(Shape.of(task.features(), HIDDEN), task.features(), random),
            truncatedNormal(Shape.of(HIDDEN, HIDDEN), HIDDEN, random),
            Tensor.zeros(HIDDEN),
            Activation.TANH,
            truncatedNormal(Shape.of(HIDDEN, classes), HIDDEN, random),
            Tensor.zeros(classes),
            Activation.IDENTITY);
    Recurrent<HiddenState> network = new Recurrent<>(cell);
    Var inputs = Var.constant(data.inputs());
    Optimizer optimizer = Adam.builder(cell.parameters()).learningRate(LEARNING_RATE).build();

    // Full-batch training: every step reads the same batch, the whole data set.
    Batch everything = Batch.of(data.inputs(), Batch.indexTensor(labels));
    double[] losses =
        Trainer.builder(cell, optimizer, data.size(), cell::initialState)
            .source(position -> everything)
            .step(
                (batch, state, generator) -> {
                  Unrolled<HiddenState> unrolled = network.run(inputs, state, null);
                  Var loss = Losses.softmaxCrossEntropy(unrolled.stacked(), batch.targetIndices());
                  return StepResult.of(loss, unrolled.finalState());
                })
            .build()
            .fit(EPOCHS)
            .lossArray();
    Tensor logits = NotesTraining.evaluate(() -> network.run(inputs).stacked().value());
    double finalLoss =
        NotesTraining.evaluate(
            () -> Losses.softmaxCrossEntropy(Var.constant(logits), labels).value().item());
    int[][] predicted = argMax(logits);
    double accuracy = accuracy(predicted, labels);

    run.say("");
    run.say(
        "Loss (mean cross-entropy per step): %.4f at the start, %.4f after %d epochs.",
        losses[0], finalLoss, EPOCHS);
    run.say(
        "Accuracy on the %d training labels: %.1f%% (chance: 33.3%%).",
        data.size() * data.steps(), 100 * accuracy);
    run.say(
        "Only %d parameters for %d random labels: the network fits a part of them, and the",
        cell.parameterCount(), data.size() * data.steps());
    run.say("curve flattens: with random labels there is nothing to generalise, only to memorise.");

    Plots.lines(
        run.plot("learning-curve.png"),
        "Example 3: learning curve",
        "epoch",
        "mean cross-entropy",
        false,
        List.of(
            Plots.Series.overSteps("training loss", losses),
            Plots.Series.overSteps("chance, ln 3", constant(EPOCHS, Math.log(classes)))));
    Plots.points(
        run.plot("predicted-labels.png"),
        "Example 3: sequence 1, predicted vs true label",
        "time step",
        "label",
        List.of(
            Plots.Series.overSteps("true label", toDoubles(labels[0])),
            Plots.Series.overSteps("predicted label", toDoubles(predicted[0]))));
    int rightInSequence1 = 0;
    for (int t = 0; t < data.steps(); t++) {
      rightInSequence1 += predicted[0][t] == labels[0][t] ? 1 : 0;
    }
    run.say("");
    run.say(
        "learning-curve.png: the mean loss per epoch against chance. Its small bumps are steps");
    run.say("that overshoot on a steep part of the loss surface, the cliffs that the note's next");
    run.say("section, gradient clipping, is about (see the clipping tutorial).");
    run.say(
        "predicted-labels.png: sequence 1 over its %d steps, true labels (blue) and the network's",
        data.steps());
    run.say(
        "arg-max predictions (orange); where they sit on one another the prediction is right: %d",
        rightInSequence1);
    run.say("of %d steps here.", data.steps());

    run.result("losses", losses);
    run.result("finalLoss", finalLoss);
    run.result("accuracy", accuracy);
    run.result("chanceLoss", Math.log(classes));
    run.result("parameters", cell.parameterCount());
    run.result("trueLabelsSequence1", toDoubles(labels[0]));
    run.result("predictedLabelsSequence1", toDoubles(predicted[0]));
    run.result("rightInSequence1", rightInSequence1);
  }

  /**
   * A normal of mean 0 and std 1/√fanIn, redrawn beyond two standard deviations: TensorFlow's
   * {@code truncated_normal}, as the note's code initialises U, W and V.
   */
  static Tensor truncatedNormal(Shape shape, int fanIn, Random random) {
    double std = 1 / Math.sqrt(fanIn);
    double[] values = new double[shape.size()];
    for (int i = 0; i < values.length; i++) {
      double z;
      do {
        z = random.nextGaussian();
      } while (Math.abs(z) > 2);
      values[i] = std * z;
    }
    return Tensor.of(shape, values);
  }

  /** The class with the largest logit at each step of {@code [batch, time, classes]} logits. */
  static int[][] argMax(Tensor logits) {
    int batch = logits.shape().dim(0);
    int steps = logits.shape().dim(1);
    int classes = logits.shape().dim(2);
    int[][] result = new int[batch][steps];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < steps; t++) {
        int best = 0;
        for (int k = 1; k < classes; k++) {
          if (logits.get(b, t, k) > logits.get(b, t, best)) {
            best = k;
          }
        }
        result[b][t] = best;
      }
    }
    return result;
  }

  private static double accuracy(int[][] predicted, int[][] labels) {
    int right = 0;
    int total = 0;
    for (int b = 0; b < labels.length; b++) {
      for (int t = 0; t < labels[b].length; t++) {
        right += predicted[b][t] == labels[b][t] ? 1 : 0;
        total++;
      }
    }
    return (double) right / total;
  }

  static double[] toDoubles(int[] values) {
    double[] result = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      result[i] = values[i];
    }
    return result;
  }

  static double[] constant(int length, double value) {
    double[] result = new double[length];
    java.util.Arrays.fill(result, value);
    return result;
  }
}
