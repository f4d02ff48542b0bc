package dev.rewind.examples.tutorials;

import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.examples.Plots;
import dev.rewind.examples.Plots.Series;
import dev.rewind.examples.Tutorial;
import dev.rewind.examples.TutorialRun;
import dev.rewind.layers.Activation;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.RecurrentState;
import dev.rewind.layers.elman.ElmanCell;
import dev.rewind.layers.init.Initializers;
import dev.rewind.layers.lstm.LstmCell;
import dev.rewind.layers.lstm.LstmState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Notes 001, 002 and 004 on vanishing and exploding gradients (001_031092f413d1c2a5.txt,
 * 002_41c2d3efad5304f0.txt, 004_54bd929fd6f3ab2a.txt): for {@code h_t = tanh(x_t U + h_{t−1} W +
 * b)},
 *
 * <pre>
 *   ∂h_T/∂h_k = Π_{j=k+1..T} diag(tanh'(a_j)) Wᵀ,    ‖∂h_T/∂h_k‖ ≤ (γ λ)^(T−k)
 * </pre>
 *
 * with γ = 1 bounding |tanh'| and λ the largest singular value of W. The whole Jacobian {@code
 * ∂h_T/∂h_k} comes from the tape, for every k at once: one vector-Jacobian product per unit of
 * {@code h_T} (seed {@code e_j}), taken with respect to every intermediate state. Its spectral norm
 * is plotted against T − k for a tanh RNN with λ below 1 and above 1, for an LSTM as initialised
 * and for one whose forget gates start near 1 (for the LSTM, ∂h_T/∂h_k holds the memory {@code c_k}
 * fixed: it is the gradient that reaches step k through {@code h_k}).
 */
final class VanishingGradientsTutorial implements Tutorial {
  private static final int HIDDEN = 16;
  private static final int INPUTS = 4;
  private static final int STEPS = 50;
  private static final double SMALL = 0.9;
  private static final double LARGE = 1.8;
  private static final double FORGET_BIAS = 3;
  private static final int[] SHOWN = {1, 5, 10, 20, 30, 40, 50};

  @Override
  public String id() {
    return "vanishing-gradients";
  }

  @Override
  public String summary() {
    return "||dh_T/dh_k|| from the tape against T - k: tanh RNNs, LSTMs and the notes' bound";
  }

  @Override
  public void run(TutorialRun run) throws Exception {
    Random random = run.random();
    Tensor inputs = Tensor.randomNormal(Shape.of(1, STEPS, INPUTS), 0, 1, random);
    Tensor u = Initializers.uniformRecurrent(Shape.of(INPUTS, HIDDEN), HIDDEN, random);
    Tensor orthogonal = Initializers.orthogonal(HIDDEN, random);
    ElmanCell small =
        new ElmanCell(u, Pointwise.scale(orthogonal, SMALL), Tensor.zeros(HIDDEN), Activation.TANH);
    ElmanCell large =
        new ElmanCell(u, Pointwise.scale(orthogonal, LARGE), Tensor.zeros(HIDDEN), Activation.TANH);
    LstmCell lstm = LstmCell.random(INPUTS, HIDDEN, random);
    LstmCell remembering =
        new LstmCell(
            LstmCell.Options.standard(), lstm.parameters().stream().map(Parameter::value).toList());
    remembering.setForgetBias(FORGET_BIAS);
    double lambdaSmall = spectralNorm(rows(small.w().value()));
    double lambdaLarge = spectralNorm(rows(large.w().value()));

    run.say(
        "How far back does a gradient reach? For the tanh RNN h_t = tanh(x_t U + h_(t-1) W + b)");
    run.say("the notes write dh_T/dh_k = prod_(j=k+1..T) diag(tanh'(a_j)) W^T, so with gamma = 1");
    run.say("bounding |tanh'| and lambda the largest singular value of W:");
    run.say("    ||dh_T/dh_k|| <= (gamma lambda)^(T-k)");
    run.say(
        "Below, every Jacobian dh_T/dh_k (%d x %d) comes from the tape: %d vector-Jacobian",
        HIDDEN, HIDDEN, HIDDEN);
    run.say(
        "products, one per unit of h_T, each taken with respect to all %d intermediate states.",
        STEPS);
    run.say(
        "Its norm is the largest singular value. Inputs: %d steps of %d standard-normal values.",
        STEPS, INPUTS);
    run.say(
        "W = lambda Q with Q a random orthogonal matrix, so every singular value of W is lambda.");
    run.say("");

    Map<String, double[]> curves = new LinkedHashMap<>();
    Jacobians smallRun = jacobians(small, HiddenState::h, inputs);
    curves.put("tanh RNN, lambda = " + SMALL, smallRun.norms());
    curves.put("tanh RNN, lambda = " + LARGE, jacobians(large, HiddenState::h, inputs).norms());
    curves.put("LSTM as initialised", jacobians(lstm, LstmState::h, inputs).norms());
    curves.put(
        "LSTM, forget bias " + (int) FORGET_BIAS,
        jacobians(remembering, LstmState::h, inputs).norms());
    double[] boundSmall = powers(SMALL);
    double[] boundLarge = powers(LARGE);

    double oneStepError = oneStepAgreement(smallRun, small.w().value());
    run.say("Check at T - k = 1: the tape's Jacobian against the notes' diag(1 - h_T^2) W^T");
    run.say("(lambda = %.1f): largest difference %.1e.", SMALL, oneStepError);
    run.say("");

    run.say("||dh_T/dh_k|| at T - k =");
    StringBuilder header = new StringBuilder(String.format("  %-28s", ""));
    for (int distance : SHOWN) {
      header.append(String.format("%10d", distance));
    }
    run.say("%s", header);
    printRow(run, "bound " + SMALL + "^(T-k)", boundSmall);
    for (Map.Entry<String, double[]> curve : curves.entrySet()) {
      if (curve.getKey().endsWith(String.valueOf(LARGE))) {
        printRow(run, "bound " + LARGE + "^(T-k)", boundLarge);
      }
      printRow(run, curve.getKey(), curve.getValue());
    }
    run.say("");
    run.say("Rates per step (exp of the least-squares slope of log ||dh_T/dh_k|| against T - k):");
    Map<String, Double> rates = new LinkedHashMap<>();
    for (Map.Entry<String, double[]> curve : curves.entrySet()) {
      double rate = rate(curve.getValue());
      rates.put(curve.getKey(), rate);
      run.say("  %-28s %.3f", curve.getKey(), rate);
    }
    run.say("  (the bounds: gamma lambda = %.3f and %.3f)", lambdaSmall, lambdaLarge);
    run.say("");
    boolean boundHolds =
        below(curves.get("tanh RNN, lambda = " + SMALL), boundSmall)
            && below(curves.get("tanh RNN, lambda = " + LARGE), boundLarge);
    run.say("The bound holds at every distance for both tanh RNNs: %s.", boundHolds);
    run.say(
        "With lambda = %.1f the gradient vanishes geometrically, at least as fast as the", SMALL);
    run.say(
        "bound: ||dh_T/dh_(T-%d)|| = %.1e, so a change to the state %d steps back moves",
        STEPS, curves.get("tanh RNN, lambda = " + SMALL)[STEPS], STEPS);
    run.say("h_T by at most that fraction of its size.");
    run.say(
        "With lambda = %.1f it can grow (lambda > 1/gamma is necessary for exploding), but", LARGE);
    run.say(
        "far more slowly than %.1f^(T-k): the state saturates, and |tanh'| < 1 shrinks each",
        LARGE);
    run.say("factor of the product.");
    run.say(
        "The LSTM as initialised forgets fast too: the path from h_k to h_T runs mostly through");
    run.say("the memory c, which every step multiplies by the forget gate, about sigmoid(0) = 0.5");
    run.say(
        "at the start. With the forget bias at %d the gates start near sigmoid(%d) = %.2f and",
        (int) FORGET_BIAS, (int) FORGET_BIAS, 1 / (1 + Math.exp(-FORGET_BIAS)));
    run.say("the gradient hardly decays: the constant error carousel of note 001.");
    run.say("vanishing-gradients.png shows every curve and both bounds on a log scale.");

    List<Series> series = new ArrayList<>();
    for (Map.Entry<String, double[]> curve : curves.entrySet()) {
      series.add(overDistance(curve.getKey(), curve.getValue()));
    }
    series.add(overDistance("bound " + SMALL + "^(T-k)", boundSmall));
    series.add(overDistance("bound " + LARGE + "^(T-k)", boundLarge));
    Plots.lines(
        run.plot("vanishing-gradients.png"),
        "||dh_T/dh_k|| from the tape, T = " + STEPS,
        "T - k (steps back in time)",
        "largest singular value of dh_T/dh_k (log scale)",
        true,
        series);

    run.result("lambdaBelowOne", lambdaSmall);
    run.result("lambdaAboveOne", lambdaLarge);
    run.result("oneStepJacobianError", oneStepError);
    run.result("boundHolds", boundHolds);
    run.result("normsTanhBelowOne", curves.get("tanh RNN, lambda = " + SMALL));
    run.result("normsTanhAboveOne", curves.get("tanh RNN, lambda = " + LARGE));
    run.result("normsLstm", curves.get("LSTM as initialised"));
    run.result("normsLstmForgetBias", curves.get("LSTM, forget bias " + (int) FORGET_BIAS));
    run.result("boundBelowOne", boundSmall);
    run.result("boundAboveOne", boundLarge);
    run.result("rateTanhBelowOne", rates.get("tanh RNN, lambda = " + SMALL));
    run.result("rateTanhAboveOne", rates.get("tanh RNN, lambda = " + LARGE));
    run.result("rateLstm", rates.get("LSTM as initialised"));
    run.result("rateLstmForgetBias", rates.get("LSTM, forget bias " + (int) FORGET_BIAS));
  }

  /**
   * Every {@code ∂h_T/∂h_k} of one sequence, from the tape: for each unit j of {@code h_T}, the
   * vector-Jacobian product with {@code e_j} gives row j of all of them at once.
   */
  private static <S extends RecurrentState<S>> Jacobians jacobians(
      RecurrentCell<S> cell, Function<S, Var> hidden, Tensor inputs) {
    int steps = inputs.shape().dim(1);
    double[][][] jacobians = new double[steps + 1][HIDDEN][];
    Tensor last;
    try (Tape tape = Tape.record()) {
      S state = cell.initialState(1);
      List<Var> states = new ArrayList<>();
      states.add(hidden.apply(state));
      for (Var input : Var.constant(inputs).unstack(1)) {
        state = cell.step(input, state).state();
        states.add(hidden.apply(state));
      }
      Var lastState = states.get(steps);
      last = lastState.value();
      for (int j = 0; j < HIDDEN; j++) {
        Tensor seed = Tensor.zeros(1, HIDDEN).withFlat(j, 1);
        Gradients rowJ = tape.gradient(lastState, seed, states);
        for (int k = 0; k <= steps; k++) {
          jacobians[k][j] = rowJ.tensor(states.get(k)).toArray();
        }
      }
    }
    double[] norms = new double[steps + 1];
    for (int k = 0; k <= steps; k++) {
      norms[steps - k] = spectralNorm(jacobians[k]);
    }
    return new Jacobians(jacobians, norms, last);
  }

  /** The tape's {@code ∂h_T/∂h_{T−1}} against {@code diag(1 − h_T²) Wᵀ}: the largest difference. */
  private static double oneStepAgreement(Jacobians run, Tensor w) {
    double[][] tape = run.jacobians()[run.jacobians().length - 2];
    double worst = 0;
    for (int j = 0; j < HIDDEN; j++) {
      double h = run.last().getFlat(j);
      for (int i = 0; i < HIDDEN; i++) {
        double notes = (1 - h * h) * w.get(i, j); // row-vector form: h_T = tanh(… + h_{T−1} W)
        worst = Math.max(worst, Math.abs(tape[j][i] - notes));
      }
    }
    return worst;
  }

  /**
   * The largest singular value of {@code a}: the square root of the largest eigenvalue of {@code
   * aᵀa}, by power iteration. The iterate never overshoots, so a norm under a bound here is under
   * it exactly.
   */
  private static double spectralNorm(double[][] a) {
    int columns = a[0].length;
    double[] v = new double[columns];
    for (int j = 0; j < columns; j++) {
      v[j] = 1 / Math.sqrt(columns) * (1 + 0.01 * j); // not orthogonal to the top singular vector
    }
    double value = 0;
    for (int iteration = 0; iteration < 300; iteration++) {
      double[] av = new double[a.length];
      for (int i = 0; i < a.length; i++) {
        for (int j = 0; j < columns; j++) {
          av[i] += a[i][j] * v[j];
        }
      }
      double[] next = new double[columns];
      for (int i = 0; i < a.length; i++) {
        for (int j = 0; j < columns; j++) {
          next[j] += a[i][j] * av[i];
        }
      }
      double norm = 0;
      for (double x : next) {
        norm += x * x;
      }
      norm = Math.sqrt(norm);
      if (norm == 0) {
        return 0;
      }
      for (int j = 0; j < columns; j++) {
        v[j] = next[j] / norm;
      }
      value = Math.sqrt(norm);
    }
    return value;
  }

  private static double[][] rows(Tensor matrix) {
    int n = matrix.shape().dim(0);
    int m = matrix.shape().dim(1);
    double[][] rows = new double[n][m];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        rows[i][j] = matrix.get(i, j);
      }
    }
    return rows;
  }

  /** {@code exp} of the least-squares slope of {@code log y} against the distance, 1 … T. */
  private static double rate(double[] byDistance) {
    double n = 0;
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    for (int d = 1; d < byDistance.length; d++) {
      double y = Math.log(byDistance[d]);
      n++;
      sx += d;
      sy += y;
      sxx += (double) d * d;
      sxy += d * y;
    }
    return Math.exp((n * sxy - sx * sy) / (n * sxx - sx * sx));
  }

  /** {@code base^d} for d = 0 … T. */
  private static double[] powers(double base) {
    double[] powers = new double[STEPS + 1];
    for (int d = 0; d <= STEPS; d++) {
      powers[d] = Math.pow(base, d);
    }
    return powers;
  }

  private static boolean below(double[] norms, double[] bound) {
    for (int d = 0; d < norms.length; d++) {
      if (norms[d] > bound[d] * (1 + 1e-12)) {
        return false;
      }
    }
    return true;
  }

  private static void printRow(TutorialRun run, String name, double[] byDistance) {
    StringBuilder row = new StringBuilder(String.format("  %-28s", name));
    for (int distance : SHOWN) {
      row.append(String.format("%10.2e", byDistance[distance]));
    }
    run.say("%s", row);
  }

  private static Series overDistance(String name, double[] byDistance) {
    double[] distances = new double[byDistance.length];
    for (int d = 0; d < distances.length; d++) {
      distances[d] = d;
    }
    return new Series(name, distances, byDistance);
  }

  /** Every {@code ∂h_T/∂h_k} (index k, rows j), their norms by distance T − k, and {@code h_T}. */
  private record Jacobians(double[][][] jacobians, double[] norms, Tensor last) {}
}
