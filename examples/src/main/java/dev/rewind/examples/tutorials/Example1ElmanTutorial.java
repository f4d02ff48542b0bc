package dev.rewind.examples.tutorials;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.examples.Tutorial;
import dev.rewind.examples.TutorialRun;
import dev.rewind.layers.Activation;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.elman.ElmanCell;
import java.util.ArrayList;
import java.util.List;

/**
 * Example 1 of note 000 (000_a414762ec7da5e42.txt): the forward pass of an Elman network (hidden
 * recurrence) with the note's weights, {@code h(t)} and {@code y(t)} for t = 1 … 4 printed beside
 * the note's two-decimal values and the exact ones.
 */
public final class Example1ElmanTutorial implements Tutorial {
  /** The note's weights, stored {@code [in, out]} as the note writes them. */
  static final double[][] U = {{-1.0, 0.5, 0.2}, {0.5, 0.1, -2.0}};

  static final double[][] W = {{2.0, 1.3, -1.0}, {1.5, 0.0, -0.5}, {-0.2, 1.5, 0.4}};
  static final double[][] V = {{2.0, -1.0}, {-1.5, 0.5}, {0.2, 0.8}};
  static final double[] B = {0.2, 0.2, 0.2};
  static final double[] C = {0.5, 0.1};

  /** x(1) … x(4). */
  static final double[][] X = {{1, 2}, {-1, 1}, {0, 3}, {2, -1}};

  /** The values the note prints for h(1) … h(4) and y(1) … y(4). */
  static final double[][] NOTES_H = {
    {0.2, 0.72, -1.0}, {1.0, -0.89, -0.99}, {0.99, 0.3, -1.0}, {0.31, 0.71, 0.79}
  };

  static final double[][] NOTES_Y = {{0.41, 0.37}, {0.97, 0.11}, {0.86, 0.18}, {0.55, 0.68}};

  /** Two printed decimals: a value agrees with the note when it is within half a unit of 0.01. */
  static final double PRINTED = 0.005;

  @Override
  public String id() {
    return "example1-elman";
  }

  @Override
  public String summary() {
    return "Note 000, Example 1: an Elman network's h(t) and y(t), beside the note's numbers";
  }

  @Override
  public void run(TutorialRun run) {
    run.say("Note 000, Example 1: an Elman network, whose hidden layer also reads its own");
    run.say("previous values through the delay unit. 2 inputs, 3 tanh hidden units, 2 sigmoid");
    run.say("outputs, with the weights the note gives:");
    run.say("  h(t) = tanh(Uᵀ x(t) + Wᵀ h(t−1) + b),   y(t) = sigmoid(Vᵀ h(t) + c),   h(0) = 0");
    run.say("");
    ElmanCell cell =
        new ElmanCell(Tensor.matrix(U), Tensor.matrix(W), Tensor.vector(B), Activation.TANH)
            .withOutput(Tensor.matrix(V), Tensor.vector(C), Activation.SIGMOID);
    Var inputs = Var.constant(Tensor.of(new double[][][] {X})); // one sequence: [1, 4, 2]

    List<double[]> hs = new ArrayList<>();
    List<double[]> ys = new ArrayList<>();
    double worst = 0;
    HiddenState state = cell.initialState(1);
    for (int t = 0; t < X.length; t++) {
      RecurrentCell.Step<HiddenState> step = cell.step(inputs.select(1, t), state);
      state = step.state();
      double[] h = state.h().value().toArray();
      double[] y = step.output().value().toArray();
      hs.add(h);
      ys.add(y);
      worst =
          Math.max(
              worst, Math.max(largestDifference(h, NOTES_H[t]), largestDifference(y, NOTES_Y[t])));

      int n = t + 1;
      run.say("t = %d, x(%d) = (%.0f, %.0f)", n, n, X[t][0], X[t][1]);
      run.say(
          "  h(%d) = %s   note: %s   exact: %s",
          n, NotesFormat.vector(h, 2), NotesFormat.vector(NOTES_H[t], 2), NotesFormat.vector(h, 6));
      run.say(
          "  y(%d) = %s   note: %s   exact: %s",
          n,
          NotesFormat.padded(y, 2, 21),
          NotesFormat.padded(NOTES_Y[t], 2, 21),
          NotesFormat.vector(y, 6));
    }
    boolean agrees = worst <= PRINTED;
    run.say("");
    run.say(
        "Largest difference from the note's printed values: %.4f, so every number %s",
        worst, agrees ? "agrees with" : "does NOT agree with");
    run.say("the note to its two decimals (a difference of at most 0.005).");
    run.say(
        "The output sequence is (y(1), y(2), y(3), y(4)); with --json the exact values come at");
    run.say("full precision. new Recurrent<>(cell).run(inputs) runs this same loop over t.");

    run.result("h", hs);
    run.result("y", ys);
    run.result("notesH", List.of(NOTES_H));
    run.result("notesY", List.of(NOTES_Y));
    run.result("largestDifferenceFromNotes", worst);
    run.result("agreesWithNotes", agrees);
  }

  /** The largest {@code |a[i] − b[i]|}. */
  static double largestDifference(double[] a, double[] b) {
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    return worst;
  }
}
