package dev.rewind.examples.tutorials;

import dev.rewind.autodiff.check.GradCheck;
import dev.rewind.autodiff.check.GradCheckResult;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.datasets.SequenceBatch;
import dev.rewind.datasets.benchmarks.AddingProblem;
import dev.rewind.examples.Plots;
import dev.rewind.examples.Plots.Series;
import dev.rewind.examples.Tutorial;
import dev.rewind.examples.TutorialRun;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Layer;
import dev.rewind.layers.Linear;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.init.Initializers;
import dev.rewind.layers.loss.Losses;
import dev.rewind.optim.Adam;
import dev.rewind.optim.Optimizer;
import dev.rewind.train.Batch;
import dev.rewind.train.StepResult;
import dev.rewind.train.Trainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A cell none of the library's is, composed from ops in a few lines: the minimal gated unit (Zhou,
 * Wu, Zhang and Zhou, "Minimal gated unit for recurrent neural networks", 2016), a GRU with one
 * gate doing the work of both:
 *
 * <pre>
 *   f_t = σ(x_t W_f + h_{t−1} U_f + b_f)                  the one gate
 *   h̃_t = tanh(x_t W_h + (f_t ⊙ h_{t−1}) U_h + b_h)        candidate
 *   h_t = (1 − f_t) ⊙ h_{t−1} + f_t ⊙ h̃_t
 * </pre>
 *
 * It is written as a lambda for {@link RecurrentCell#of}, unrolled by {@link Recurrent}, and its
 * BPTT comes from the tape: {@link GradCheck} compares the gradient of a loss over a whole unrolled
 * sequence, with respect to the inputs and all six weights, with central differences in one call.
 * Then it learns the adding problem with short sequences in the library's training loop, for which
 * a few-line {@link Layer} registers the six weights by name.
 */
final class CustomCellTutorial implements Tutorial {
  private static final List<String> WEIGHT_NAMES =
      List.of("W_f", "U_f", "b_f", "W_h", "U_h", "b_h");
  private static final int LENGTH = 10;
  private static final int HIDDEN = 16;
  private static final int BATCH = 32;
  private static final int STEPS = 300;
  private static final double LEARNING_RATE = 0.01;

  /** Always answering 1, the mean of the target, gives a mean squared error of about 1/6. */
  private static final double BASELINE = 1.0 / 6;

  @Override
  public String id() {
    return "custom-cell";
  }

  @Override
  public String summary() {
    return "A new cell (minimal gated unit) from ops: one-call gradient check, then training";
  }

  /** The minimal gated unit over {@code weights} W_f, U_f, b_f, W_h, U_h, b_h. */
  static RecurrentCell<HiddenState> minimalGatedUnit(List<? extends Var> weights) {
    Var wf = weights.get(0);
    Var uf = weights.get(1);
    Var bf = weights.get(2);
    Var wh = weights.get(3);
    Var uh = weights.get(4);
    Var bh = weights.get(5);
    int inputs = wf.shape().dim(0);
    int hidden = wf.shape().dim(1);
    return RecurrentCell.of(
        inputs,
        hidden,
        (x, h) -> {
          Var f = x.matmul(wf).add(h.matmul(uf)).add(bf).sigmoid();
          Var candidate = x.matmul(wh).add(f.mul(h).matmul(uh)).add(bh).tanh();
          return Var.scalar(1).sub(f).mul(h).add(f.mul(candidate));
        });
  }

  /** Weights uniform in ±1/√hidden, drawn in the order W_f, U_f, b_f, W_h, U_h, b_h. */
  static List<Tensor> randomWeights(int inputs, int hidden, Random random) {
    List<Tensor> weights = new ArrayList<>();
    for (int gate = 0; gate < 2; gate++) {
      weights.add(Initializers.uniformRecurrent(Shape.of(inputs, hidden), hidden, random));
      weights.add(Initializers.uniformRecurrent(Shape.of(hidden, hidden), hidden, random));
      weights.add(Initializers.uniformRecurrent(Shape.of(hidden), hidden, random));
    }
    return weights;
  }

  @Override
  public void run(TutorialRun run) throws Exception {
    Random random = run.random();
    run.say("A new recurrent cell in a few lines: the minimal gated unit (Zhou et al., 2016), one");
    run.say("gate f where a GRU has two:");
    run.say("  f_t  = sigmoid(x_t W_f + h_(t-1) U_f + b_f)");
    run.say("  h~_t = tanh(x_t W_h + (f_t * h_(t-1)) U_h + b_h)");
    run.say("  h_t  = (1 - f_t) * h_(t-1) + f_t * h~_t");
    run.say(
        "written as a lambda for RecurrentCell.of and unrolled by Recurrent. Nobody writes its");
    run.say("backward pass: the tape records the unrolled ops, and their reverse is BPTT.");
    run.say("");
    gradientCheck(run, random);
    run.say("");
    train(run, random);
  }

  /** One call checks the whole Jacobian of a loss over an unrolled sequence. */
  private static void gradientCheck(TutorialRun run, Random random) {
    int batch = 2;
    int steps = 4;
    int inputs = 2;
    int hidden = 3;
    Tensor x = Tensor.randomNormal(Shape.of(batch, steps, inputs), 0, 1, random);
    Tensor targets = Tensor.randomNormal(Shape.of(batch, steps, hidden), 0, 0.5, random);
    List<Tensor> weights = randomWeights(inputs, hidden, random);
    Tensor[] checked = new Tensor[1 + weights.size()];
    checked[0] = x;
    for (int i = 0; i < weights.size(); i++) {
      checked[i + 1] = weights.get(i);
    }
    GradCheckResult result =
        GradCheck.of(
                in -> {
                  RecurrentCell<HiddenState> cell = minimalGatedUnit(in.subList(1, in.size()));
                  Var outputs = new Recurrent<>(cell).run(in.get(0)).stacked();
                  return Losses.meanSquaredError(outputs, Var.constant(targets));
                })
            // NOTE: central differences err by O(ε²) from truncation and by O(1e-16 |loss| / ε)
            // from rounding; some gradient elements here are near 1e-5, where ε = 1e-5 balances
            // the two better than the default 1e-6. The tolerance stays the default, 1e-6.
            .eps(1e-5)
            .check(checked);
    String where =
        (result.input() == 0 ? "x" : WEIGHT_NAMES.get(result.input() - 1))
            + " "
            + Arrays.toString(result.index());
    run.say(
        "Gradient check, in one call: GradCheck.of(loss).check(x, W_f, U_f, b_f, W_h, U_h, b_h)");
    run.say(
        "on %d sequences of %d steps (%d inputs, %d units): the tape's gradient of the loss",
        batch, steps, inputs, hidden);
    run.say("with respect to every input and weight element against central differences (step");
    run.say("1e-5, the one that balances truncation and rounding errors here).");
    run.say(
        "  %s over %d elements; worst relative error %.2e (tolerance %.0e)",
        result.passed() ? "passed" : "FAILED",
        result.comparisons(),
        result.worstError(),
        result.tolerance());
    run.say("  at %s: tape %.12g vs numeric %.12g", where, result.actual(), result.expected());
    run.result("gradientCheckPassed", result.passed());
    run.result("gradientCheckWorstError", result.worstError());
    run.result("gradientCheckWhere", where);
    run.result("gradientCheckComparisons", result.comparisons());
  }

  /** A short run on the adding problem, to see the cell learn. */
  private static void train(TutorialRun run, Random random) throws Exception {
    AddingProblem task = new AddingProblem(LENGTH);
    Model model = new Model(randomWeights(2, HIDDEN, random), new Linear(HIDDEN, 1, random));
    Optimizer adam = Adam.builder(model.namedParameters()).learningRate(LEARNING_RATE).build();
    SequenceBatch test = task.generate(500, random);

    run.say(
        "Training it: the adding problem with %d steps. Each step has a value in [0, 1) and a",
        LENGTH);
    run.say("marker; the target, read after the last step, is the sum of the two marked values.");
    run.say(
        "A %d-unit cell and a linear readout, Adam (rate %s), %d batches of %d.",
        HIDDEN, LEARNING_RATE, STEPS, BATCH);
    run.say("Always answering 1 gives a mean squared error of about %.3f.", BASELINE);
    double[] losses =
        Trainer.builder(model, adam, BATCH, model.cell::initialState)
            .source(
                position -> {
                  // Every sequence has all its steps: the loop needs no mask.
                  SequenceBatch sequences = task.generate(BATCH, random);
                  return Batch.of(sequences.inputs(), sequences.targets());
                })
            .step(
                (batch, state, generator) -> {
                  HiddenState last = model.read(batch.inputs(), state);
                  return StepResult.of(model.loss(last, batch.targets()), last);
                })
            .build()
            .fit(STEPS)
            .lossArray();
    for (int step = 0; step < STEPS; step++) {
      if (step == 0 || (step + 1) % 50 == 0) {
        run.say("  step %3d: mean squared error %.4f", step + 1, losses[step]);
      }
    }
    double testLoss =
        NotesTraining.evaluate(
            () -> model.loss(model.read(test.inputs(), null), test.targets()).value().item());
    run.say(
        "On 500 new sequences: mean squared error %.4f, %.0f times below the baseline.",
        testLoss, BASELINE / testLoss);
    run.say("custom-cell-learning-curve.png shows the training loss per batch. Look for a plateau");
    run.say("near the baseline: until the gate learns to let in only the marked values, answering");
    run.say("about 1 is the best the net can do.");
    Plots.lines(
        run.plot("custom-cell-learning-curve.png"),
        "Minimal gated unit on the adding problem, " + LENGTH + " steps",
        "batch",
        "mean squared error (log scale)",
        true,
        List.of(
            Series.overSteps("training loss", losses),
            Series.overSteps("always answering 1", constant(STEPS, BASELINE))));
    run.result("losses", losses);
    run.result("testLoss", testLoss);
    run.result("baselineLoss", BASELINE);
  }

  /**
   * What the training loop trains: the cell's six weights, registered by name as a {@link Layer}
   * registers its parameters, and the readout. The loop needs a layer to name the parameters in
   * what it reports and saves; the cell itself stays a lambda over them.
   */
  private static final class Model extends Layer {
    final RecurrentCell<HiddenState> cell;
    final Recurrent<HiddenState> recurrent;
    final Linear readout;

    Model(List<Tensor> weights, Linear readout) {
      List<Parameter> registered = new ArrayList<>();
      for (int i = 0; i < weights.size(); i++) {
        registered.add(parameter(WEIGHT_NAMES.get(i), weights.get(i)));
      }
      this.cell = minimalGatedUnit(registered);
      this.recurrent = new Recurrent<>(cell);
      this.readout = child("readout", readout);
    }

    /** The state after the last step of {@code inputs}, from {@code start} (zeros when null). */
    HiddenState read(Tensor inputs, HiddenState start) {
      return recurrent.run(Var.constant(inputs), start, null).finalState();
    }

    /** The mean squared error of the readout of the {@code last} state against {@code targets}. */
    Var loss(HiddenState last, Tensor targets) {
      return Losses.meanSquaredError(readout.apply(last.h()), Var.constant(targets));
    }
  }

  private static double[] constant(int length, double value) {
    double[] values = new double[length];
    Arrays.fill(values, value);
    return values;
  }
}
