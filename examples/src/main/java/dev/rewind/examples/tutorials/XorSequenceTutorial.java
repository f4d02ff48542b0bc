package dev.rewind.examples.tutorials;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.datasets.SequenceBatch;
import dev.rewind.datasets.tasks.XorSequence;
import dev.rewind.examples.Plots;
import dev.rewind.examples.Tutorial;
import dev.rewind.examples.TutorialRun;
import dev.rewind.layers.Activation;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.Recurrent.Unrolled;
import dev.rewind.layers.elman.ElmanCell;
import dev.rewind.layers.loss.Losses;
import dev.rewind.layers.loss.Reduction;
import dev.rewind.optim.Adam;
import dev.rewind.optim.Optimizer;
import dev.rewind.optim.schedule.CosineAnnealing;
import dev.rewind.train.StepResult;
import dev.rewind.train.Trainer;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Note 003's XOR sequence (003_7bf26e67bbf9cc0b.txt): the rows of the XOR truth table written one
 * after the other, {@code 000 011 101 110 …}, and an Elman network with sigmoid units trained to
 * predict the next bit. Only every third bit (the XOR of the two before it) can be predicted; the
 * tutorial measures the accuracy on those and on the others separately.
 */
public final class XorSequenceTutorial implements Tutorial {
  static final int HIDDEN = 8;
  static final int TRIPLES = 10;
  static final int BATCH = 16;
  static final int STEPS = 1000;
  static final double LEARNING_RATE = 0.1;
  static final int TEST_SEQUENCES = 100;

  @Override
  public String id() {
    return "xor-sequence";
  }

  @Override
  public String summary() {
    return "Note 003: predict the next bit of 000011101110…; only every third bit is predictable";
  }

  @Override
  public void run(TutorialRun run) throws IOException {
    XorSequence task = new XorSequence(TRIPLES);
    Random random = run.random();
    run.say(
        "Note 003 writes the rows of the XOR truth table one after the other: %s…",
        XorSequence.NOTES_SEQUENCE);
    run.say("and asks how a network could find the structure of such a stream. Here each stream");
    run.say(
        "starts with those 12 bits and goes on with random rows a, b, a XOR b (%d rows, %d bits).",
        TRIPLES, 3 * TRIPLES);
    run.say(
        "The network reads one bit per step and predicts the next. Bits a and b are coin flips;");
    run.say(
        "only the third bit of each row, a XOR b, can be known, and only by remembering the two");
    run.say("bits before it and counting in threes from the start.");
    run.say("");

    ElmanCell cell =
        ElmanCell.random(1, HIDDEN, 1, Activation.SIGMOID, Activation.IDENTITY, random);
    Recurrent<HiddenState> network = new Recurrent<>(cell);
    run.say("The network: note 003's Elman net with sigmoid units, %d hidden, one output:", HIDDEN);
    run.say(
        "  h(t) = sigmoid(x(t) U + h(t−1) W + b),   y(t) = sigmoid(h(t) V + c) = P(next bit = 1)");
    run.say("trained with the cross-entropy of y(t) at every step (computed from the logit");
    run.say(
        "h(t) V + c, the stable form): %d Adam steps on %d fresh streams each, the rate going",
        STEPS, BATCH);
    run.say("from %s down to %s along a cosine.", LEARNING_RATE, LEARNING_RATE / 100);

    Optimizer optimizer =
        Adam.builder(cell.parameters())
            .learningRate(new CosineAnnealing(LEARNING_RATE, LEARNING_RATE / 100, STEPS))
            .build();
    Tensor xorSteps = xorSteps(task, BATCH);
    Tensor otherSteps = otherSteps(task, BATCH);
    double[] xorLosses = new double[STEPS];
    double[] otherLosses = new double[STEPS];
    double[] losses =
        Trainer.builder(cell, optimizer, BATCH, cell::initialState)
            .source(position -> NotesTraining.batch(task.generate(BATCH, random)))
            .step(
                (batch, state, generator) -> {
                  Unrolled<HiddenState> unrolled =
                      network.run(Var.constant(batch.inputs()), state, null);
                  Var perStep =
                      Losses.binaryCrossEntropyWithLogits(
                          unrolled.stacked(), batch.targets(), Reduction.NONE, null);
                  int at = (int) optimizer.steps();
                  xorLosses[at] = maskedMean(perStep.value(), xorSteps);
                  otherLosses[at] = maskedMean(perStep.value(), otherSteps);
                  return StepResult.of(perStep.mean(), unrolled.finalState());
                })
            .build()
            .fit(STEPS)
            .lossArray();

    SequenceBatch test = task.generate(TEST_SEQUENCES, random);
    Tensor logits = NotesTraining.evaluate(() -> logits(network, test).value());
    double xorAccuracy = accuracy(logits, test.targets(), xorSteps(task, TEST_SEQUENCES));
    double otherAccuracy = accuracy(logits, test.targets(), otherSteps(task, TEST_SEQUENCES));
    double[] errorByPosition = meanAbsoluteErrorByStep(logits, test.targets());

    run.say("");
    run.say(
        "Loss over all steps: %.4f at the first training step, %.4f at the last. On the random",
        losses[0], losses[STEPS - 1]);
    run.say("rows (after the note's 12 fixed bits, which the network can learn by heart):");
    run.say("  the XOR bits:   %.4f → %.4f", xorLosses[0], xorLosses[STEPS - 1]);
    run.say(
        "  the other bits: %.4f → %.4f   (ln 2 = %.4f is the best anyone can do on a coin flip)",
        otherLosses[0], otherLosses[STEPS - 1], Math.log(2));
    run.say("On the random rows of %d new streams:", TEST_SEQUENCES);
    run.say("  the XOR bits are predicted right %.1f%% of the time,", 100 * xorAccuracy);
    run.say("  the coin flips %.1f%% of the time: chance, as they must be.", 100 * otherAccuracy);
    run.say("");
    run.say("Mean error |P(bit = 1) − bit| of each prediction on the new streams, row by row");
    run.say("(bit 1 is never predicted: it is the first input):");
    for (int row = 0; row < TRIPLES; row++) {
      StringBuilder errors = new StringBuilder();
      for (int column = 0; column < 3; column++) {
        int target = 3 * row + column - 1; // bit 3·row + column is target t = bit − 1
        errors.append(
            target < 0 ? "    –" : String.format(Locale.ROOT, " %4.2f", errorByPosition[target]));
      }
      run.say(
          "  row %2d %s %s",
          row + 1,
          String.format(
              Locale.ROOT,
              "%-22s",
              row < 4
                  ? "(the note's "
                      + XorSequence.NOTES_SEQUENCE.substring(3 * row, 3 * row + 3)
                      + ")"
                  : "(random a, b, a XOR b)"),
          errors);
    }
    run.say("In the random rows the third number is near 0 and the first two near 0.5.");

    Plots.lines(
        run.plot("learning-curve.png"),
        "XOR sequence: learning curve",
        "training step",
        "cross-entropy",
        false,
        List.of(
            Plots.Series.overSteps("all bits (the training loss)", losses),
            Plots.Series.overSteps("XOR bits (predictable)", xorLosses),
            Plots.Series.overSteps("other bits (coin flips)", otherLosses)));
    Plots.lines(
        run.plot("error-by-position.png"),
        "XOR sequence: mean error of each prediction on new streams",
        "predicted bit (position in the stream)",
        "mean |P(bit = 1) − bit|",
        false,
        List.of(
            new Plots.Series("error", positionsFrom(2, errorByPosition.length), errorByPosition)));
    run.say("");
    run.say("learning-curve.png: the loss on the XOR bits falls towards 0; the loss on the coin");
    run.say(
        "flips does not fall below ln 2: they cannot be predicted, and where the network guesses");
    run.say("with confidence it is right only half the time and pays for it.");
    run.say("error-by-position.png: the errors above along the stream, a saw-tooth with a dip at");
    run.say("every third bit once the note's 12 fixed bits are past.");

    run.result("losses", losses);
    run.result("xorLosses", xorLosses);
    run.result("otherLosses", otherLosses);
    run.result("xorAccuracy", xorAccuracy);
    run.result("otherAccuracy", otherAccuracy);
    run.result("errorByPosition", errorByPosition);
  }

  private static Var logits(Recurrent<HiddenState> network, SequenceBatch batch) {
    return network.run(Var.constant(batch.inputs())).stacked();
  }

  private static double maskedMean(Tensor perStep, Tensor mask) {
    double sum = 0;
    double count = 0;
    for (int i = 0; i < mask.size(); i++) {
      sum += perStep.getFlat(i) * mask.getFlat(i);
      count += mask.getFlat(i);
    }
    return sum / count;
  }

  /**
   * The steps whose target is an XOR bit after the note's fixed 12 bits: the stream's random part,
   * where nothing can be learnt by heart.
   */
  private static Tensor xorSteps(XorSequence task, int sequences) {
    return randomPart(task.predictableSteps(sequences), true);
  }

  /** The steps whose target is a coin flip (bit a or b of a random row). */
  private static Tensor otherSteps(XorSequence task, int sequences) {
    return randomPart(task.predictableSteps(sequences), false);
  }

  /**
   * {@code predictable} (or its complement) at the targets t ≥ 11, which are bits 12 … of the
   * stream: the rows after the note's {@code 000011101110}.
   */
  private static Tensor randomPart(Tensor predictable, boolean xor) {
    int steps = predictable.shape().dim(1);
    double[] values = new double[predictable.size()];
    for (int i = 0; i < values.length; i++) {
      boolean isXor = predictable.getFlat(i) != 0;
      boolean random = i % steps >= XorSequence.NOTES_SEQUENCE.length() - 1;
      values[i] = random && isXor == xor ? 1 : 0;
    }
    return Tensor.of(predictable.shape(), values);
  }

  /** The share of right guesses (logit > 0 means 1) among the steps the mask marks. */
  private static double accuracy(Tensor logits, Tensor targets, Tensor mask) {
    double right = 0;
    double count = 0;
    for (int i = 0; i < mask.size(); i++) {
      if (mask.getFlat(i) != 0) {
        boolean one = logits.getFlat(i) > 0;
        right += one == (targets.getFlat(i) == 1) ? 1 : 0;
        count++;
      }
    }
    return right / count;
  }

  /** The mean over the batch of {@code |sigmoid(logit) − target|} at each step. */
  private static double[] meanAbsoluteErrorByStep(Tensor logits, Tensor targets) {
    int batch = logits.shape().dim(0);
    int steps = logits.shape().dim(1);
    double[] error = new double[steps];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < steps; t++) {
        double p = 1 / (1 + Math.exp(-logits.get(b, t, 0)));
        error[t] += Math.abs(p - targets.get(b, t, 0)) / batch;
      }
    }
    return error;
  }

  private static double[] positionsFrom(int first, int count) {
    double[] x = new double[count];
    for (int i = 0; i < count; i++) {
      x[i] = first + i;
    }
    return x;
  }
}
