package dev.rewind.examples.tutorials;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.datasets.SequenceBatch;
import dev.rewind.datasets.batch.Masks;
import dev.rewind.datasets.tasks.Parity;
import dev.rewind.examples.Plots;
import dev.rewind.examples.Tutorial;
import dev.rewind.examples.TutorialRun;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Linear;
import dev.rewind.layers.Recurrent.Unrolled;
import dev.rewind.layers.gru.GruCell;
import dev.rewind.layers.loss.Losses;
import dev.rewind.layers.loss.Reduction;
import dev.rewind.layers.seq.ManyToMany;
import dev.rewind.optim.Adam;
import dev.rewind.optim.Optimizer;
import dev.rewind.train.StepResult;
import dev.rewind.train.Trainer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Note 001's parity task (001_031092f413d1c2a5.txt): "output YES if the number of 1s is even, else
 * NO", answered after every bit by a small GRU network trained on strings of varying length
 * (padded, with a mask), then tested on strings much longer than any it was trained on.
 */
public final class ParityTutorial implements Tutorial {
  static final int HIDDEN = 8;
  static final int STEPS = 200;
  static final int BATCH = 32;
  static final int MAX_LENGTH = 16;
  static final int LONG_LENGTH = 64;
  static final int TEST_SEQUENCES = 200;
  static final double LEARNING_RATE = 0.03;

  /** The note's two examples. */
  static final String[] NOTES_STRINGS = {"1000010101", "100011"};

  @Override
  public String id() {
    return "parity";
  }

  @Override
  public String summary() {
    return "Note 001: after every bit, is the count of 1s so far even? A small GRU learns it";
  }

  @Override
  public void run(TutorialRun run) throws IOException {
    run.say("Note 001: \"Output YES if the number of 1s is even, else NO: 1000010101 – YES,");
    run.say(
        "100011 – NO.\" No fixed window of past bits can answer this, since a longer string can");
    run.say("always come; a recurrent network carries the answer so far in its state. Here it");
    run.say(
        "answers after every bit: 1 (YES) while the count of 1s so far is even, 0 (NO) when odd.");
    run.say("");
    Random random = run.random();
    GruCell cell = GruCell.random(1, HIDDEN, random);
    Linear readout = new Linear(HIDDEN, 1, random);
    ManyToMany<HiddenState> model = new ManyToMany<>(cell, readout);
    run.say(
        "The network: a GRU cell (note 002) with %d units and a linear readout to one logit per",
        HIDDEN);
    run.say(
        "step; P(YES) = sigmoid(logit). %d parameters. Its update gate z lets a unit keep its",
        model.parameterCount());
    run.say("value, h(t) = (1 − z) ⊙ n + z ⊙ h(t−1), so holding a bit for long is easy; a vanilla");
    run.say(
        "Elman cell of this size also learns parity, but for some seeds not within these steps.");
    run.say(
        "Training: %d Adam steps (rate %s), each on %d fresh random strings of 1 to %d bits,",
        STEPS, LEARNING_RATE, BATCH, MAX_LENGTH);
    run.say("padded to the longest with a mask, binary cross-entropy at every real step.");

    Optimizer optimizer = Adam.builder(model.parameters()).learningRate(LEARNING_RATE).build();
    Parity task = new Parity(1, MAX_LENGTH);
    double[] losses =
        Trainer.builder(model, optimizer, BATCH, cell::initialState)
            .source(position -> NotesTraining.batch(task.generate(BATCH, random)))
            .step(
                (batch, state, generator) -> {
                  Unrolled<HiddenState> unrolled =
                      model.run(Var.constant(batch.inputs()), state, batch.mask());
                  Var loss =
                      Losses.binaryCrossEntropyWithLogits(
                          unrolled.stacked(), batch.targets(), Reduction.MEAN, batch.mask());
                  return StepResult.of(loss, unrolled.finalState());
                })
            .build()
            .fit(STEPS)
            .lossArray();

    SequenceBatch test = task.generate(TEST_SEQUENCES, random);
    SequenceBatch longTest = Parity.ofLength(LONG_LENGTH).generate(TEST_SEQUENCES, random);
    Accuracy onTest = accuracy(model, test);
    Accuracy onLong = accuracy(model, longTest);
    run.say("");
    run.say(
        "Training loss: %.4f at the first step, %.4f at the last (ln 2 = %.4f is a coin flip).",
        losses[0], losses[STEPS - 1], Math.log(2));
    run.say(
        "On %d new strings of 1 to %d bits: %.1f%% of the per-bit answers right, %.1f%% of the",
        TEST_SEQUENCES, MAX_LENGTH, 100 * onTest.perStep(), 100 * onTest.finalAnswer());
    run.say("final answers (the note's YES/NO for the whole string).");
    run.say(
        "On %d strings of %d bits, %d times longer than any seen in training: %.1f%% per bit,",
        TEST_SEQUENCES, LONG_LENGTH, LONG_LENGTH / MAX_LENGTH, 100 * onLong.perStep());
    run.say(
        "%.1f%% of the final answers: the state only has to carry one bit, the parity so far,",
        100 * onLong.finalAnswer());
    run.say("whatever the length.");

    run.say("");
    run.say("The note's strings (1 = even so far = YES):");
    Map<String, Object> examples = new LinkedHashMap<>();
    for (String bits : NOTES_STRINGS) {
      double[] probabilities = probabilities(model, bits);
      StringBuilder predicted = new StringBuilder();
      for (double p : probabilities) {
        predicted.append(p > 0.5 ? '1' : '0');
      }
      String truth = Parity.labels(bits);
      double last = probabilities[probabilities.length - 1];
      run.say("  bits       %s", bits);
      run.say("  truth      %s   the note: %s", truth, truth.endsWith("1") ? "YES" : "NO");
      run.say(
          "  predicted  %s   final answer %s, P(YES) = %.3f",
          predicted, last > 0.5 ? "YES" : "NO", last);
      Map<String, Object> example = new LinkedHashMap<>();
      example.put("truth", truth);
      example.put("predicted", predicted.toString());
      example.put("pYes", probabilities);
      examples.put(bits, example);
    }

    Plots.lines(
        run.plot("learning-curve.png"),
        "Parity: learning curve",
        "training step",
        "binary cross-entropy",
        false,
        List.of(
            Plots.Series.overSteps("training loss (fresh batch each step)", losses),
            Plots.Series.overSteps(
                "coin flip, ln 2", Example3TrainingTutorial.constant(STEPS, Math.log(2)))));
    run.say("");
    run.say("learning-curve.png: the loss of each training batch. It stays near ln 2 while the");
    run.say("network searches, then drops once it has found how to flip its state on every 1.");

    run.result("losses", losses);
    run.result("perStepAccuracy", onTest.perStep());
    run.result("finalAnswerAccuracy", onTest.finalAnswer());
    run.result("longPerStepAccuracy", onLong.perStep());
    run.result("longFinalAnswerAccuracy", onLong.finalAnswer());
    run.result("longLength", LONG_LENGTH);
    run.result("notesExamples", examples);
  }

  /** The share of right answers at every real step, and at each sequence's last real step. */
  record Accuracy(double perStep, double finalAnswer) {}

  private static Accuracy accuracy(ManyToMany<HiddenState> model, SequenceBatch batch) {
    Tensor logits =
        NotesTraining.evaluate(
            () -> model.run(Var.constant(batch.inputs()), null, batch.mask()).stacked().value());
    int[] lengths = Masks.lengths(batch.mask());
    int right = 0;
    int steps = 0;
    int finalRight = 0;
    for (int b = 0; b < lengths.length; b++) {
      for (int t = 0; t < lengths[b]; t++) {
        boolean correct = (logits.get(b, t, 0) > 0) == (batch.targets().get(b, t, 0) == 1);
        right += correct ? 1 : 0;
        steps++;
        if (t == lengths[b] - 1) {
          finalRight += correct ? 1 : 0;
        }
      }
    }
    return new Accuracy((double) right / steps, (double) finalRight / lengths.length);
  }

  /** P(YES) after each bit of {@code bits}. */
  static double[] probabilities(ManyToMany<HiddenState> model, String bits) {
    double[] values = new double[bits.length()];
    for (int t = 0; t < values.length; t++) {
      values[t] = bits.charAt(t) - '0';
    }
    Tensor inputs = Tensor.of(Shape.of(1, values.length, 1), values);
    Tensor logits = NotesTraining.evaluate(() -> model.run(Var.constant(inputs)).stacked().value());
    double[] probabilities = new double[values.length];
    for (int t = 0; t < values.length; t++) {
      probabilities[t] = 1 / (1 + Math.exp(-logits.get(0, t, 0)));
    }
    return probabilities;
  }
}
