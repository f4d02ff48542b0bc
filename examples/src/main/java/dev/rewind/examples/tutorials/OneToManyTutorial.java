package dev.rewind.examples.tutorials;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.examples.Plots;
import dev.rewind.examples.Tutorial;
import dev.rewind.examples.TutorialRun;
import dev.rewind.layers.Activation;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Linear;
import dev.rewind.layers.Recurrent.Unrolled;
import dev.rewind.layers.elman.ElmanCell;
import dev.rewind.layers.loss.Losses;
import dev.rewind.layers.seq.OneToMany;
import dev.rewind.optim.Adam;
import dev.rewind.optim.Optimizer;
import dev.rewind.train.Batch;
import dev.rewind.train.StepResult;
import dev.rewind.train.Trainer;
import java.io.IOException;
import java.util.List;
import java.util.Random;

/**
 * Note 001's one-to-many scenario, image captioning (001_031092f413d1c2a5.txt): from one input, a
 * whole sequence is generated, each output fed back as the next input, with {@link OneToMany}. The
 * input here is a point on the unit circle, (sin φ, cos φ), and the sequence to generate is the
 * sine wave that starts there: the points (sin(φ + ωt), cos(φ + ωt)) for t = 1 … N.
 */
public final class OneToManyTutorial implements Tutorial {
  static final int PERIOD = 16;
  static final int TRAINED_STEPS = 24;
  static final int GENERATED_STEPS = 64;
  static final int HIDDEN = 16;
  static final int STEPS = 400;
  static final int BATCH = 32;
  static final double LEARNING_RATE = 0.01;

  @Override
  public String id() {
    return "one-to-many";
  }

  @Override
  public String summary() {
    return "Note 001, one-to-many: from one starting point, generate a sine wave, outputs fed back";
  }

  @Override
  public void run(TutorialRun run) throws IOException {
    double omega = 2 * Math.PI / PERIOD;
    run.say("Note 001's one-to-many scenario, image captioning: one input (there, an image's");
    run.say("features), then a whole sequence (there, words), each output fed back as the next");
    run.say("input. Here the input is a point on the unit circle, x(1) = (sin φ, cos φ), and the");
    run.say(
        "sequence to generate is the sine wave that starts there, a period of %d steps:", PERIOD);
    run.say("  y(t) = (sin(φ + ωt), cos(φ + ωt)),  ω = 2π/%d,  t = 1, 2, …", PERIOD);
    run.say("");

    Random random = run.random();
    ElmanCell cell = ElmanCell.random(2, HIDDEN, Activation.TANH, random);
    Linear readout = new Linear(HIDDEN, 2, random);
    OneToMany<HiddenState> model = new OneToMany<>(cell, readout);
    run.say(
        "The network: an Elman cell with %d tanh units and a linear readout to 2 numbers;", HIDDEN);
    run.say("  h(t) = tanh(x(t) U + h(t−1) W + b),   y(t) = h(t) V + c,   x(t+1) = y(t).");
    run.say(
        "The loss is the mean squared error of y(1) … y(%d); its gradient flows back through the",
        TRAINED_STEPS);
    run.say(
        "states AND through the fed-back outputs. %d Adam steps (rate %s), %d random φ each.",
        STEPS, LEARNING_RATE, BATCH);

    Optimizer optimizer = Adam.builder(model.parameters()).learningRate(LEARNING_RATE).build();
    // One input step (the starting point) per sequence, and the wave to generate from it.
    double[] losses =
        Trainer.builder(model, optimizer, BATCH, cell::initialState)
            .source(
                position -> {
                  double[] phases = randomPhases(BATCH, random);
                  return Batch.of(
                      start(phases).reshape(Shape.of(BATCH, 1, 2)),
                      wave(phases, omega, TRAINED_STEPS));
                })
            .step(
                (batch, state, generator) -> {
                  Var first = Var.constant(batch.inputs().reshape(Shape.of(BATCH, 2)));
                  Unrolled<HiddenState> unrolled = model.run(first, state, TRAINED_STEPS);
                  Var loss =
                      Losses.meanSquaredError(unrolled.stacked(), Var.constant(batch.targets()));
                  return StepResult.of(loss, unrolled.finalState());
                })
            .build()
            .fit(STEPS)
            .lossArray();

    double[] testPhases = randomPhases(100, random);
    Tensor generated =
        NotesTraining.evaluate(
            () -> model.run(Var.constant(start(testPhases)), GENERATED_STEPS).stacked().value());
    Tensor target = wave(testPhases, omega, GENERATED_STEPS);
    double trainedError = rootMeanSquare(generated, target, 0, TRAINED_STEPS);
    double beyondError = rootMeanSquare(generated, target, TRAINED_STEPS, GENERATED_STEPS);

    run.say("");
    run.say(
        "Training loss: %.4f at the first step, %.5f at the last.", losses[0], losses[STEPS - 1]);
    run.say("Generating from 100 new starting points:");
    run.say(
        "  over the %d steps it was trained on, the root-mean-square error is %.4f;",
        TRAINED_STEPS, trainedError);
    run.say(
        "  over steps %d … %d, which it never saw, %.4f.",
        TRAINED_STEPS + 1, GENERATED_STEPS, beyondError);
    run.say("(The wave's own amplitude is 1; predicting 0 would give an error of 0.71.)");

    double phase = Math.PI / 3;
    Tensor one =
        NotesTraining.evaluate(
            () ->
                model
                    .run(Var.constant(start(new double[] {phase})), GENERATED_STEPS)
                    .stacked()
                    .value());
    double[] steps = new double[GENERATED_STEPS + 1];
    double[] generatedSine = new double[GENERATED_STEPS + 1];
    double[] targetSine = new double[GENERATED_STEPS + 1];
    for (int t = 0; t <= GENERATED_STEPS; t++) {
      steps[t] = t;
      targetSine[t] = Math.sin(phase + omega * t);
      generatedSine[t] = t == 0 ? targetSine[0] : one.get(0, t - 1, 0);
    }
    Plots.lines(
        run.plot("generated-wave.png"),
        String.format(
            java.util.Locale.ROOT,
            "One-to-many: generated from x(1) = (sin φ, cos φ), φ = π/3 (trained on %d steps)",
            TRAINED_STEPS),
        "step t (0 is the given input)",
        "sin component",
        false,
        List.of(
            new Plots.Series("target sin(φ + ωt)", steps, targetSine),
            new Plots.Series("generated, fed back", steps, generatedSine),
            new Plots.Series(
                "end of the trained steps",
                new double[] {TRAINED_STEPS, TRAINED_STEPS},
                new double[] {-1.1, 1.1})));
    Plots.lines(
        run.plot("learning-curve.png"),
        "One-to-many: learning curve",
        "training step",
        "mean squared error",
        true,
        List.of(Plots.Series.overSteps("training loss", losses)));
    run.say("");
    run.say(
        "generated-wave.png: the first coordinate generated from φ = π/3 for %d steps, against",
        GENERATED_STEPS);
    run.say(
        "the true wave; past step %d the network runs on its own outputs beyond anything it",
        TRAINED_STEPS);
    run.say("was trained on. learning-curve.png: the loss per step, on a log scale.");

    run.result("losses", losses);
    run.result("trainedStepsError", trainedError);
    run.result("beyondTrainedStepsError", beyondError);
    run.result("generatedSine", generatedSine);
    run.result("targetSine", targetSine);
  }

  private static double[] randomPhases(int count, Random random) {
    double[] phases = new double[count];
    for (int i = 0; i < count; i++) {
      phases[i] = 2 * Math.PI * random.nextDouble();
    }
    return phases;
  }

  /** The first inputs {@code [batch, 2]}: (sin φ, cos φ) for each phase. */
  static Tensor start(double[] phases) {
    double[] values = new double[2 * phases.length];
    for (int b = 0; b < phases.length; b++) {
      values[2 * b] = Math.sin(phases[b]);
      values[2 * b + 1] = Math.cos(phases[b]);
    }
    return Tensor.of(Shape.of(phases.length, 2), values);
  }

  /** The targets {@code [batch, steps, 2]}: (sin(φ + ωt), cos(φ + ωt)) for t = 1 … steps. */
  static Tensor wave(double[] phases, double omega, int steps) {
    double[] values = new double[phases.length * steps * 2];
    for (int b = 0; b < phases.length; b++) {
      for (int t = 0; t < steps; t++) {
        double angle = phases[b] + omega * (t + 1);
        values[(b * steps + t) * 2] = Math.sin(angle);
        values[(b * steps + t) * 2 + 1] = Math.cos(angle);
      }
    }
    return Tensor.of(Shape.of(phases.length, steps, 2), values);
  }

  /** The root-mean-square difference over steps {@code [from, to)} of {@code [batch, time, 2]}. */
  private static double rootMeanSquare(Tensor a, Tensor b, int from, int to) {
    double sum = 0;
    int count = 0;
    for (int i = 0; i < a.shape().dim(0); i++) {
      for (int t = from; t < to; t++) {
        for (int k = 0; k < 2; k++) {
          double d = a.get(i, t, k) - b.get(i, t, k);
          sum += d * d;
          count++;
        }
      }
    }
    return Math.sqrt(sum / count);
  }
}
