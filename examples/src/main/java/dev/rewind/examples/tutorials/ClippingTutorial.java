package dev.rewind.examples.tutorials;

import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.datasets.SequenceBatch;
import dev.rewind.datasets.benchmarks.SineWave;
import dev.rewind.examples.Plots;
import dev.rewind.examples.Plots.Series;
import dev.rewind.examples.Tutorial;
import dev.rewind.examples.TutorialRun;
import dev.rewind.layers.Activation;
import dev.rewind.layers.Linear;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.elman.ElmanCell;
import dev.rewind.layers.init.Initializers;
import dev.rewind.layers.loss.Losses;
import dev.rewind.optim.NonFiniteGradientException;
import dev.rewind.optim.Optimizer;
import dev.rewind.optim.ParameterGradients;
import dev.rewind.optim.Sgd;
import dev.rewind.optim.StepReport;
import dev.rewind.optim.clip.ClipByGlobalNorm;
import dev.rewind.optim.clip.ClipByValue;
import dev.rewind.optim.clip.ClippedOptimizer;
import dev.rewind.optim.clip.GradientClipper;
import dev.rewind.optim.clip.NonFinitePolicy;
import dev.rewind.optim.clip.NormType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Exploding gradients and clipping (note 000's clipping by value and by norm, note 002's
 * element-wise clipping, note 003 section 4 and note 004's norm clipping): a linear RNN whose
 * recurrent matrix starts with every singular value at 1.2, trained with SGD to predict the next
 * sample of sine waves of 40 steps. Since {@code ∂h_T/∂h_k = (Wᵀ)^(T−k)} grows like 1.2^(T−k), the
 * first gradient is huge, one SGD step makes W larger still, and within a step or two the loss
 * overflows. The same run with the gradients clipped first,
 *
 * <pre>
 *   by global norm:  g ← g · c / ‖g‖  when ‖g‖ > c    one norm over all parameters, direction kept
 *   by value:        g_i ← min(v, max(−v, g_i))        each element on its own, direction changed
 * </pre>
 *
 * takes small steps while the gradients are huge and trains.
 */
final class ClippingTutorial implements Tutorial {
  private static final SineWave TASK = SineWave.ofLength(40);
  private static final int HIDDEN = 8;
  private static final int BATCH = 32;
  private static final int STEPS = 150;
  private static final double GAIN = 1.2;
  private static final double LEARNING_RATE = 0.03;
  private static final double MAX_NORM = 1;
  private static final double MAX_VALUE = 0.1;

  /** Values above this leave the top of the charts: a log axis over 300 decades is unreadable. */
  private static final double CHART_TOP = 1e8;

  @Override
  public String id() {
    return "clipping";
  }

  @Override
  public String summary() {
    return "An exploding linear RNN trained with SGD: no clipping, norm and value clipping";
  }

  @Override
  public void run(TutorialRun run) throws Exception {
    Random random = run.random();
    long weightSeed = random.nextLong();
    long dataSeed = random.nextLong();
    SequenceBatch test = TASK.generate(256, random.nextLong());
    double repeatLast = repeatLastLoss(test);

    run.say(
        "A linear RNN, h_t = x_t U + h_(t-1) W + b with %d units, and a linear readout", HIDDEN);
    run.say(
        "y_t = h_t V + c learn to predict the next sample of sine waves (%d steps, periods",
        TASK.length());
    run.say("of 8 to 32 steps).");
    run.say(
        "W starts as %.1f Q, Q a random orthogonal matrix: every singular value is %.1f, so",
        GAIN, GAIN);
    run.say(
        "dh_T/dh_k = (W^T)^(T-k) grows like %.1f^(T-k), the exploding case of notes 002/004.",
        GAIN);
    run.say(
        "Three runs from the same weights on the same batches of %d waves, SGD with rate %s:",
        BATCH, LEARNING_RATE);
    run.say(
        "without clipping, with the gradients clipped to global norm %s, and with every", MAX_NORM);
    run.say(
        "gradient element clipped to [-%s, %s]. For scale: predicting 0 gives a loss of about",
        MAX_VALUE, MAX_VALUE);
    run.say("0.5, and repeating the last sample gives %.3f.", repeatLast);
    run.say("");

    Training plain = train(weightSeed, dataSeed, test, null);
    Training byNorm = train(weightSeed, dataSeed, test, ClipByGlobalNorm.l2(MAX_NORM));
    Training byValue = train(weightSeed, dataSeed, test, new ClipByValue(MAX_VALUE));

    run.say("Without clipping:");
    for (int step = 0; step < plain.losses().length; step++) {
      run.say(
          "  step %d: loss %.3e, gradient norm %.3e",
          step, plain.losses()[step], plain.norms()[step]);
    }
    if (plain.failure().isEmpty()) {
      run.say(
          "  It did not overflow within %d steps; its largest loss was %.3e.",
          STEPS, Arrays.stream(plain.losses()).max().orElse(0));
    } else {
      run.say("  Then the optimizer refused the step:");
      run.say("    %s", plain.failure());
      run.say(
          "  A step along a gradient of norm %.1e threw W so far that the loss exploded and",
          plain.norms()[0]);
      run.say("  then overflowed. A plain optimizer never writes NaN into a parameter: it throws");
      run.say("  (as here), and a ClippedOptimizer with NonFinitePolicy.SKIP_STEP skips the step");
      run.say("  instead. Either way the run is over: the weights it reached are useless.");
    }
    run.say("");
    describe(run, "Clipped to global norm " + MAX_NORM + ":", byNorm);
    describe(run, "Clipped by value to [-" + MAX_VALUE + ", " + MAX_VALUE + "]:", byValue);
    run.say("Both clipped runs see the same huge first gradients, but their steps stay short:");
    run.say(
        "at most %s long with norm clipping, at most %s per weight with value clipping.",
        LEARNING_RATE * MAX_NORM, LEARNING_RATE * MAX_VALUE);
    run.say("So W shrinks back to a stable size instead of jumping, and the loss falls. Norm");
    run.say(
        "clipping keeps the gradient's direction and only shortens it; value clipping bends it");
    run.say("towards the sign of each element. clipping-loss.png shows the three losses and");
    run.say("clipping-gradient-norms.png the gradient norms before clipping, on log scales; the");
    run.say(
        "unclipped curves leave the top of the charts (at %.0e) where the run overflowed.",
        CHART_TOP);

    Plots.lines(
        run.plot("clipping-loss.png"),
        "Training loss: linear RNN on sine waves, SGD rate " + LEARNING_RATE,
        "step",
        "mean squared error (log scale)",
        true,
        List.of(
            overSteps(offTheChart("no clipping", plain.losses()), capped(plain.losses())),
            overSteps("clip global norm to " + MAX_NORM, byNorm.losses()),
            overSteps("clip values to " + MAX_VALUE, byValue.losses()),
            overSteps("repeat the last sample", constant(STEPS, repeatLast))));
    Plots.lines(
        run.plot("clipping-gradient-norms.png"),
        "Global L2 norm of the gradients before clipping",
        "step",
        "||g|| (log scale)",
        true,
        List.of(
            overSteps(offTheChart("no clipping", plain.norms()), capped(plain.norms())),
            overSteps("clip global norm", byNorm.norms()),
            overSteps("clip values", byValue.norms()),
            overSteps("norm threshold " + MAX_NORM, constant(STEPS, MAX_NORM))));

    run.result("repeatLastSampleLoss", repeatLast);
    run.result("unclippedLosses", plain.losses());
    run.result("unclippedGradientNorms", plain.norms());
    run.result("unclippedFailure", plain.failure());
    record(run, "normClipped", byNorm);
    record(run, "valueClipped", byValue);
  }

  private static void describe(TutorialRun run, String title, Training training) {
    double[] norms = training.norms();
    run.say("%s", title);
    run.say(
        "  gradient norm before clipping: %.3e at step 0, largest %.3e, last %.3e",
        norms[0], Arrays.stream(norms).max().orElse(0), norms[norms.length - 1]);
    run.say(
        "  clipped at %d of %d steps; skipped (non-finite) steps: %d",
        training.clippedSteps(), STEPS, training.skippedSteps());
    run.say(
        "  loss %.3e at step 0, %.3e at the end; on %d fresh test sequences %.3e",
        training.losses()[0],
        training.losses()[training.losses().length - 1],
        256,
        training.testLoss());
    run.say("");
  }

  private static void record(TutorialRun run, String key, Training training) {
    run.result(key + "Losses", training.losses());
    run.result(key + "GradientNorms", training.norms());
    run.result(key + "ClippedSteps", training.clippedSteps());
    run.result(key + "SkippedSteps", training.skippedSteps());
    run.result(key + "TestLoss", training.testLoss());
  }

  /**
   * Trains from the weights and batches the seeds give; {@code clipper} null is plain SGD, which
   * stops at the first non-finite gradient.
   */
  private static Training train(
      long weightSeed, long dataSeed, SequenceBatch test, GradientClipper clipper) {
    Random weights = new Random(weightSeed);
    ElmanCell cell =
        new ElmanCell(
            Initializers.uniformRecurrent(Shape.of(1, HIDDEN), HIDDEN, weights),
            Pointwise.scale(Initializers.orthogonal(HIDDEN, weights), GAIN),
            Tensor.zeros(HIDDEN),
            Activation.IDENTITY);
    Linear readout = new Linear(HIDDEN, 1, weights);
    List<Parameter> parameters = new ArrayList<>(cell.parameters());
    parameters.addAll(readout.parameters());
    Optimizer sgd = Sgd.builder(parameters).learningRate(LEARNING_RATE).build();
    Optimizer optimizer =
        clipper == null ? sgd : new ClippedOptimizer(sgd, clipper, NonFinitePolicy.SKIP_STEP);
    Random data = new Random(dataSeed);
    List<Double> losses = new ArrayList<>();
    List<Double> norms = new ArrayList<>();
    int clipped = 0;
    int skipped = 0;
    String failure = "";
    for (int step = 0; step < STEPS; step++) {
      SequenceBatch batch = TASK.generate(BATCH, data);
      try (Tape tape = Tape.record()) {
        Var loss = loss(cell, readout, batch);
        Gradients gradients = tape.gradient(loss, parameters);
        ParameterGradients given = ParameterGradients.from(gradients);
        double norm = NormType.L2.ofAll(parameters.stream().map(gradients::tensor).toList());
        losses.add(loss.value().item());
        norms.add(norm);
        try {
          StepReport report = optimizer.step(given);
          skipped += report.taken() ? 0 : 1;
          clipped += wasClipped(clipper, given) ? 1 : 0;
        } catch (NonFiniteGradientException e) {
          failure = e.getMessage();
          break;
        }
      }
    }
    double testLoss;
    try (Tape.NoGradScope noGrad = Tape.noGrad()) {
      testLoss = loss(cell, readout, test).value().item();
    }
    return new Training(
        losses.stream().mapToDouble(Double::doubleValue).toArray(),
        norms.stream().mapToDouble(Double::doubleValue).toArray(),
        clipped,
        skipped,
        failure,
        testLoss);
  }

  private static boolean wasClipped(GradientClipper clipper, ParameterGradients gradients) {
    return clipper != null
        && gradients.nonFiniteParameters().isEmpty()
        && clipper.clip(gradients).clipped();
  }

  private static Var loss(ElmanCell cell, Linear readout, SequenceBatch batch) {
    Var states = new Recurrent<>(cell).run(Var.constant(batch.inputs())).stacked();
    return Losses.meanSquaredError(readout.apply(states), Var.constant(batch.targets()));
  }

  /** The loss of predicting that each wave repeats its last sample: x_(t+1) = x_t. */
  private static double repeatLastLoss(SequenceBatch batch) {
    double[] inputs = batch.inputs().toArray();
    double[] targets = batch.targets().toArray();
    double sum = 0;
    for (int i = 0; i < inputs.length; i++) {
      sum += (targets[i] - inputs[i]) * (targets[i] - inputs[i]);
    }
    return sum / inputs.length;
  }

  /**
   * The values up to the first that is not finite or above {@link #CHART_TOP}, that one drawn at
   * the top of the chart: a log axis cannot show NaN or ∞, nor 300 decades legibly.
   */
  private static double[] capped(double[] values) {
    int n = 0;
    while (n < values.length && Double.isFinite(values[n]) && values[n] <= CHART_TOP) {
      n++;
    }
    double[] shown = Arrays.copyOf(values, Math.min(n + 1, values.length));
    if (n < values.length) {
      shown[n] = CHART_TOP;
    }
    return shown;
  }

  /** The series name, saying where the curve leaves the chart and what it reached. */
  private static String offTheChart(String name, double[] values) {
    for (int step = 0; step < values.length; step++) {
      if (!Double.isFinite(values[step]) || values[step] > CHART_TOP) {
        return String.format(
            Locale.ROOT, "%s (step %d: %.1e, off the chart)", name, step, values[step]);
      }
    }
    return name;
  }

  private static double[] constant(int length, double value) {
    double[] values = new double[length];
    Arrays.fill(values, value);
    return values;
  }

  /** {@code (0, y[0]), (1, y[1]), …}: step 0 is the first batch, before any update. */
  private static Series overSteps(String name, double[] values) {
    double[] steps = new double[values.length];
    for (int i = 0; i < steps.length; i++) {
      steps[i] = i;
    }
    return new Series(name, steps, values);
  }

  /** One run: the loss and gradient norm at each step taken or tried, and how it ended. */
  private record Training(
      double[] losses,
      double[] norms,
      int clippedSteps,
      int skippedSteps,
      String failure,
      double testLoss) {}
}
