package dev.rewind.examples.tutorials;

import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.datasets.SequenceBatch;
import dev.rewind.datasets.tasks.BitSum;
import dev.rewind.examples.Plots;
import dev.rewind.examples.Plots.Series;
import dev.rewind.examples.Tutorial;
import dev.rewind.examples.TutorialRun;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.reference.ScalarLinearRnn;
import dev.rewind.optim.Optimizer;
import dev.rewind.optim.ParameterGradients;
import dev.rewind.optim.Rprop;
import dev.rewind.optim.RpropVariant;
import dev.rewind.optim.Sgd;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Note 003 (003_7bf26e67bbf9cc0b.txt), sections 2 and 3: the 8-bit sum learnt by the linear RNN
 * with one unit
 *
 * <pre>
 *   f_t = f_{t−1} v_f + x_t v_x,   f_0 = 0,   ŷ = f_8,   E = ½ Σ_i (ŷ⁽ⁱ⁾ − y⁽ⁱ⁾)²
 * </pre>
 *
 * First the closed-form gradients (22) and (26) of {@link ScalarLinearRnn} are set beside the
 * tape's, and the state gradients (24), {@code ∂E/∂f_t ∝ v_f^(T−t)}, beside the tape's gradients
 * with respect to the intermediate states. Then the net is trained from the same start with plain
 * gradient descent (18) and with Rprop (29)–(31) at the note's settings (η+ = 1.2, η− = 0.5, Δ0 =
 * 0.001, full batch; the note's rule is Rprop without backtracking, {@link
 * RpropVariant#RPROP_MINUS}); both should end near the solution {@code v_x = v_f = 1}.
 */
final class BitSumTutorial implements Tutorial {
  private static final int SEQUENCES = 16;
  private static final int EPOCHS = 1000;
  private static final double LEARNING_RATE = 0.0003;
  private static final String RATE_SHOWN = "0.0003";

  @Override
  public String id() {
    return "bit-sum";
  }

  @Override
  public String summary() {
    return "Note 003's 8-bit sum: closed-form gradients (22), (26) vs the tape; SGD vs Rprop";
  }

  @Override
  public void run(TutorialRun run) throws Exception {
    Random random = run.random();
    SequenceBatch data = BitSum.EIGHT_BITS.generate(SEQUENCES, random);
    int steps = data.steps();
    Tensor bits = data.inputs().reshape(Shape.of(SEQUENCES, steps)); // [I, T], as (22) and (26)
    Tensor sums = data.targets().reshape(Shape.of(SEQUENCES)); // y⁽ⁱ⁾ = Σ_t x_t⁽ⁱ⁾
    double vf0 = 0.5 * random.nextDouble();
    double vx0 = 0.5 * random.nextDouble();

    run.say(
        "Note 003's 8-bit sum: a linear RNN with one unit reads %d bits and must output", steps);
    run.say(
        "their sum:  f_t = f_(t-1) v_f + x_t v_x,  f_0 = 0,  y^ = f_8,  E = 1/2 sum_i (y^ - y)^2.");
    run.say(
        "It has two weights, and v_x = v_f = 1 solves it exactly. Data: %d random sequences of"
            + " %d bits.",
        SEQUENCES, steps);
    run.say("Start (drawn from the seed): v_x = %.6f, v_f = %.6f.", vx0, vf0);
    run.say("");
    compareGradients(run, bits, sums, vf0, vx0);

    run.say("");
    run.say(
        "Training from that start for %d full-batch epochs, with gradient descent (18) and",
        EPOCHS);
    run.say("with Rprop as note 003 writes it, (29)-(31): no weight backtracking (RPROP_MINUS).");
    Training sgd =
        train(
            bits,
            sums,
            vf0,
            vx0,
            params -> Sgd.builder(params).learningRate(LEARNING_RATE).build());
    Training rprop =
        train(
            bits,
            sums,
            vf0,
            vx0,
            params ->
                Rprop.builder(RpropVariant.RPROP_MINUS, params)
                    .initialStep(0.001)
                    .etaPlus(1.2)
                    .etaMinus(0.5)
                    .build());
    report(run, "gradient descent (rate " + RATE_SHOWN + ")", "sgd", sgd);
    report(run, "Rprop (eta+ 1.2, eta- 0.5, initial step 0.001)", "rprop", rprop);

    Plots.lines(
        run.plot("bit-sum-learning-curves.png"),
        "Note 003's 8-bit sum: E over full-batch epochs",
        "epoch",
        "E (log scale)",
        true,
        List.of(
            overEpochs("gradient descent, rate " + RATE_SHOWN, sgd.losses()),
            overEpochs("Rprop, note 003's settings", rprop.losses())));
    run.say("");
    run.say("Both end near the solution v_x = v_f = 1; bit-sum-learning-curves.png shows E on a");
    run.say(
        "log scale. Gradient descent needs a small rate: y^ is a polynomial of degree 7 in v_f,");
    run.say("so E is nearly flat in v_f near 0 and steep near 1, and a rate that moves the start");
    run.say("quickly overshoots near the solution (at 0.001 it oscillates and never gets there).");
    run.say(
        "Rprop uses only the signs of the gradients: each weight's step grows by 1.2 while its");
    run.say(
        "gradient keeps its sign and halves when the sign flips, whatever the gradient's size.");
    run.say("It levels off where its steps reach their smallest allowed size, the library's");
    run.say("default of 1e-6 (Rprop.builder(...).stepBounds(1e-12, 50) lets it go further).");
  }

  /** E at epoch 0 (before the first update), 1, 2, … */
  private static Series overEpochs(String name, double[] losses) {
    double[] epochs = new double[losses.length];
    for (int e = 0; e < epochs.length; e++) {
      epochs[e] = e;
    }
    return new Series(name, epochs, losses);
  }

  /** (22), (26) and (24) beside the tape's gradients, at the starting weights. */
  private static void compareGradients(
      TutorialRun run, Tensor bits, Tensor sums, double vf, double vx) {
    ScalarLinearRnn closedForm = new ScalarLinearRnn(vf, vx);
    double closedVx = closedForm.gradientVx(bits, sums);
    double closedVf = closedForm.gradientVf(bits, sums);
    Parameter vfParameter = new Parameter("v_f", Tensor.scalar(vf));
    Parameter vxParameter = new Parameter("v_x", Tensor.scalar(vx));
    int steps = bits.shape().dim(1);
    double[] tapeStates = new double[steps];
    double[] closedStates = new double[steps];
    double tapeVx;
    double tapeVf;
    try (Tape tape = Tape.record()) {
      List<Var> states = new ArrayList<>();
      Var error = error(vfParameter, vxParameter, bits, sums, states);
      List<Var> wanted = new ArrayList<>(states);
      wanted.add(vxParameter);
      wanted.add(vfParameter);
      Gradients gradients = tape.gradient(error, wanted);
      tapeVx = gradients.tensor(vxParameter).item();
      tapeVf = gradients.tensor(vfParameter).item();
      for (int t = 1; t <= steps; t++) {
        // Every sequence's f_t gets (ŷ⁽ⁱ⁾ − y⁽ⁱ⁾) v_f^(T−t); (24) is their sum over i.
        tapeStates[t - 1] = sum(gradients.tensor(states.get(t - 1)));
        closedStates[t - 1] = closedForm.stateGradient(bits, sums, t);
      }
    }
    run.say(
        "Gradients at the start, by note 003's closed forms and by the tape (no BPTT by hand):");
    run.say("  %-10s %24s %24s %12s", "", "closed form", "tape", "rel. diff");
    run.say(
        "  %-10s %24.17g %24.17g %12.2e", "dE/dv_x", closedVx, tapeVx, relative(closedVx, tapeVx));
    run.say(
        "  %-10s %24.17g %24.17g %12.2e", "dE/dv_f", closedVf, tapeVf, relative(closedVf, tapeVf));
    run.say("(22) and (26) agree with the tape to rounding.");
    run.say("");
    run.say("The tape also gives the gradient at each intermediate state, eq. (24):");
    run.say(
        "  dE/df_t = sum_i (y^ - y) v_f^(T-t): with v_f = %.3f it shrinks going back in time.", vf);
    for (int t = 1; t <= steps; t++) {
      run.say("  t = %d: (24) %14.6e   tape %14.6e", t, closedStates[t - 1], tapeStates[t - 1]);
    }
    run.result("closedFormGradientVx", closedVx);
    run.result("tapeGradientVx", tapeVx);
    run.result("closedFormGradientVf", closedVf);
    run.result("tapeGradientVf", tapeVf);
    run.result("relativeDifferenceVx", relative(closedVx, tapeVx));
    run.result("relativeDifferenceVf", relative(closedVf, tapeVf));
    run.result("closedFormStateGradients", closedStates);
    run.result("tapeStateGradients", tapeStates);
  }

  /**
   * E on the tape, with {@code f_1 … f_T} (each {@code [I, 1]}) added to {@code states}: the net is
   * a cell written as a lambda and unrolled by {@link Recurrent}.
   */
  private static Var error(Parameter vf, Parameter vx, Tensor bits, Tensor sums, List<Var> states) {
    int sequences = bits.shape().dim(0);
    int steps = bits.shape().dim(1);
    RecurrentCell<HiddenState> cell = RecurrentCell.of(1, 1, (x, f) -> f.mul(vf).add(x.mul(vx)));
    Var inputs = Var.constant(bits.reshape(Shape.of(sequences, steps, 1)));
    Recurrent.Unrolled<HiddenState> unrolled = new Recurrent<>(cell).run(inputs);
    states.addAll(unrolled.outputs());
    Var predictions = unrolled.finalState().h().reshape(sequences);
    return predictions.sub(Var.constant(sums)).square().sum().mul(0.5);
  }

  private static Training train(
      Tensor bits,
      Tensor sums,
      double vf0,
      double vx0,
      Function<List<Parameter>, Optimizer> optimizerFor) {
    Parameter vf = new Parameter("v_f", Tensor.scalar(vf0));
    Parameter vx = new Parameter("v_x", Tensor.scalar(vx0));
    Optimizer optimizer = optimizerFor.apply(List.of(vx, vf));
    double[] losses = new double[EPOCHS];
    for (int epoch = 0; epoch < EPOCHS; epoch++) {
      try (Tape tape = Tape.record()) {
        Var error = error(vf, vx, bits, sums, new ArrayList<>());
        losses[epoch] = error.value().item();
        optimizer.step(ParameterGradients.from(tape.gradient(error, vx, vf)));
      }
    }
    ScalarLinearRnn trained = new ScalarLinearRnn(vf.value().item(), vx.value().item());
    return new Training(losses, vx.value().item(), vf.value().item(), trained.error(bits, sums));
  }

  private static void report(TutorialRun run, String title, String key, Training training) {
    run.say(
        "  %-48s v_x = %.6f, v_f = %.6f, E = %.3e",
        title, training.vx(), training.vf(), training.finalError());
    run.result(key + "Losses", training.losses());
    run.result(key + "FinalVx", training.vx());
    run.result(key + "FinalVf", training.vf());
    run.result(key + "FinalError", training.finalError());
  }

  private static double sum(Tensor t) {
    double total = 0;
    for (double v : t.toArray()) {
      total += v;
    }
    return total;
  }

  private static double relative(double a, double b) {
    return Math.abs(a - b) / Math.max(1e-300, Math.max(Math.abs(a), Math.abs(b)));
  }

  /** A learning curve and where it ended. */
  private record Training(double[] losses, double vx, double vf, double finalError) {}
}
