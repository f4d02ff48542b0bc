package dev.rewind.examples.tutorials;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.examples.Tutorial;
import dev.rewind.examples.TutorialRun;
import dev.rewind.layers.Activation;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.elman.JordanCell;
import java.util.ArrayList;
import java.util.List;

/**
 * Example 2 of note 000 (000_a414762ec7da5e42.txt): a Jordan network (top-down recurrence: the
 * previous <em>output</em> is fed back) run on a batch of two sequences, {@code H(t)} and {@code
 * Y(t)} for t = 1 … 3 printed beside the note's values. The note's text writes {@code Y(1)} in the
 * formula for t = 3 but plugs in {@code Y(2)}'s values; the tutorial shows that {@code Y(2)} is the
 * right one.
 */
public final class Example2JordanTutorial implements Tutorial {
  static final double[][] U = Example1ElmanTutorial.U;

  /** The recurrent weights, {@code [out, hidden]}: the previous output into the hidden layer. */
  static final double[][] W = {{2.0, 1.3, -1.0}};

  static final double[][] V = {{2.0}, {-1.5}, {0.2}};
  static final double[] B = {0.2, 0.2, 0.2};
  static final double[] C = {0.1};

  /** The two sequences x_1 and x_2, three steps each: {@code [sequence][t][feature]}. */
  static final double[][][] X = {{{1, 2}, {-1, 1}, {0, 3}}, {{-1, 0}, {2, -1}, {3, -1}}};

  /** The note's H(t), one row per sequence, for t = 1, 2, 3. */
  static final double[][][] NOTES_H = {
    {{0.2, 0.72, -1.0}, {0.83, -0.29, 0.0}},
    {{0.98, 0.21, -0.98}, {-0.46, 0.98, 0.94}},
    {{1.0, 0.92, -1.0}, {-1.00, 0.94, 0.99}}
  };

  /** The note's Y(t), one value per sequence, for t = 1, 2, 3. */
  static final double[][] NOTES_Y = {{0.31, 0.90}, {0.83, 0.11}, {0.63, 0.04}};

  @Override
  public String id() {
    return "example2-jordan";
  }

  @Override
  public String summary() {
    return "Note 000, Example 2: a Jordan network on a batch of two sequences, H(t) and Y(t)";
  }

  @Override
  public void run(TutorialRun run) {
    run.say("Note 000, Example 2: a Jordan network, which feeds back its previous OUTPUT (not its");
    run.say(
        "hidden layer). 2 inputs, 3 tanh hidden units, 1 sigmoid output; two sequences are run");
    run.say("together as a batch, one row per sequence:");
    run.say("  H(t) = tanh(X(t) U + Y(t−1) W + B),   Y(t) = sigmoid(H(t) V + C),   Y(0) = 0");
    run.say("");
    JordanCell cell =
        new JordanCell(
            Tensor.matrix(U),
            Tensor.matrix(W),
            Tensor.vector(B),
            Activation.TANH,
            Tensor.matrix(V),
            Tensor.vector(C),
            Activation.SIGMOID);
    Var inputs = Var.constant(Tensor.of(X)); // [2 sequences, 3 steps, 2 features]

    List<double[][]> hs = new ArrayList<>();
    List<double[]> ys = new ArrayList<>();
    List<HiddenState> outputs = new ArrayList<>();
    double worst = 0;
    HiddenState previousOutput = cell.initialState(2);
    for (int t = 0; t < X[0].length; t++) {
      Var input = inputs.select(1, t);
      Tensor h = cell.hidden(input, previousOutput).value();
      previousOutput = cell.step(input, previousOutput).state();
      outputs.add(previousOutput);
      double[] y = previousOutput.h().value().toArray();
      double[][] hRows = {row(h, 0), row(h, 1)};
      hs.add(hRows);
      ys.add(y);

      int n = t + 1;
      run.say(
          "t = %d, X(%d) = [(%.0f, %.0f); (%.0f, %.0f)]",
          n, n, X[0][t][0], X[0][t][1], X[1][t][0], X[1][t][1]);
      for (int p = 0; p < 2; p++) {
        worst = Math.max(worst, Example1ElmanTutorial.largestDifference(hRows[p], NOTES_H[t][p]));
        run.say(
            "  H(%d) row %d = %s   note: %s   exact: %s",
            n,
            p + 1,
            NotesFormat.vector(hRows[p], 2),
            NotesFormat.vector(NOTES_H[t][p], 2),
            NotesFormat.vector(hRows[p], 6));
      }
      worst = Math.max(worst, Example1ElmanTutorial.largestDifference(y, NOTES_Y[t]));
      run.say(
          "  Y(%d)       = %s   note: %s   exact: %s",
          n,
          NotesFormat.padded(y, 2, 21),
          NotesFormat.padded(NOTES_Y[t], 2, 21),
          NotesFormat.vector(y, 6));
    }
    boolean agrees = worst <= Example1ElmanTutorial.PRINTED;
    run.say("(Y(t) has one row per sequence; it is written here as a row.)");
    run.say("");
    run.say(
        "Largest difference from the note's printed values: %.4f, so every number %s",
        worst, agrees ? "agrees with" : "does NOT agree with");
    run.say("the note to its two decimals (a difference of at most 0.005).");
    double[] y1 = new double[3];
    double[] y2 = new double[3];
    for (int t = 0; t < 3; t++) {
      y1[t] = ys.get(t)[0];
      y2[t] = ys.get(t)[1];
    }
    run.say(
        "The outputs per sequence: y_1 = %s, y_2 = %s.",
        NotesFormat.vector(y1, 2), NotesFormat.vector(y2, 2));

    // The note's step t = 3 writes Y(1) but uses Y(2)'s numbers: compute both.
    Var lastInput = inputs.select(1, 2);
    double[] withY1 = row(cell.hidden(lastInput, outputs.get(0)).value(), 0);
    double[] withY2 = row(cell.hidden(lastInput, outputs.get(1)).value(), 0);
    run.say("");
    run.say(
        "A slip in the note: at t = 3 its text writes H(3) = tanh(X(3) U + Y(1) W + B), but the");
    run.say("numbers it plugs in, (0.83, 0.11), are Y(2). The recurrence feeds back the previous");
    run.say("output, Y(t−1) = Y(2), and only Y(2) gives the note's H(3):");
    run.say(
        "  H(3) row 1 with Y(2) = %s   (the note: %s)",
        NotesFormat.vector(withY2, 2), NotesFormat.vector(NOTES_H[2][0], 2));
    run.say("  H(3) row 1 with Y(1) = %s", NotesFormat.vector(withY1, 2));
    run.say("So Y(2) is right; the Y(1) in the text is a typo.");

    run.result("h", hs);
    run.result("y", ys);
    run.result("notesH", List.of(NOTES_H));
    run.result("notesY", List.of(NOTES_Y));
    run.result("largestDifferenceFromNotes", worst);
    run.result("agreesWithNotes", agrees);
    run.result("h3Row1WithY2", withY2);
    run.result("h3Row1WithY1", withY1);
  }

  private static double[] row(Tensor matrix, int row) {
    int columns = matrix.shape().dim(1);
    double[] values = new double[columns];
    for (int j = 0; j < columns; j++) {
      values[j] = matrix.get(row, j);
    }
    return values;
  }
}
