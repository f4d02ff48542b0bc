package dev.rewind.layers.notes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Activation;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.elman.ElmanCell;
import dev.rewind.layers.elman.JordanCell;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Examples 1 and 2 of note 000_a414762ec7da5e42.txt: the Elman and Jordan cells reproduce every
 * number the note prints, to its two decimals, and the exact values to 1e-12. The exact values are
 * computed here independently, with plain double arithmetic written out from the note's
 * single-sequence equations {@code h(t) = tanh(Uᵀ x(t) + Wᵀ h(t−1) + b)}, {@code y(t) = sigmoid(Vᵀ
 * h(t) + c)} and their Jordan counterparts.
 */
class Note000ExamplesTest {
  private static final double PRINTED = 0.005;
  private static final double EXACT = 1e-12;

  // Example 1 (and, for U and b, Example 2): the weights as the note prints them, [in, out].
  private static final double[][] U = {{-1.0, 0.5, 0.2}, {0.5, 0.1, -2.0}};
  private static final double[][] W = {{2.0, 1.3, -1.0}, {1.5, 0.0, -0.5}, {-0.2, 1.5, 0.4}};
  private static final double[][] V = {{2.0, -1.0}, {-1.5, 0.5}, {0.2, 0.8}};
  private static final double[] B = {0.2, 0.2, 0.2};
  private static final double[] C = {0.5, 0.1};
  private static final double[][] X = {{1, 2}, {-1, 1}, {0, 3}, {2, -1}};

  // Example 2: one output, fed back through W [out, hidden].
  private static final double[][] JORDAN_W = {{2.0, 1.3, -1.0}};
  private static final double[][] JORDAN_V = {{2.0}, {-1.5}, {0.2}};
  private static final double[] JORDAN_C = {0.1};
  // X(t) for t = 1, 2, 3: row p is sequence p.
  private static final double[][][] JORDAN_X = {
    {{1, 2}, {-1, 0}}, {{-1, 1}, {2, -1}}, {{0, 3}, {3, -1}}
  };

  @Test
  void elmanMatchesExample1OfTheNotes() {
    double[][] printedH = {
      {0.2, 0.72, -1.0}, {1.0, -0.89, -0.99}, {0.99, 0.3, -1.0}, {0.31, 0.71, 0.79}
    };
    double[][] printedY = {{0.41, 0.37}, {0.97, 0.11}, {0.86, 0.18}, {0.55, 0.68}};
    ElmanCell cell =
        new ElmanCell(Tensor.matrix(U), Tensor.matrix(W), Tensor.vector(B), Activation.TANH)
            .withOutput(Tensor.matrix(V), Tensor.vector(C), Activation.SIGMOID);
    Var inputs = Var.constant(Tensor.of(new double[][][] {X})); // one sequence: [1, 4, 2]

    List<Var> outputs = new Recurrent<>(cell).run(inputs).outputs();
    HiddenState state = cell.initialState(1);
    double[] h = new double[3];
    for (int t = 0; t < 4; t++) {
      RecurrentCell.Step<HiddenState> step = cell.step(inputs.select(1, t), state);
      state = step.state();
      h = tanh(plus(plus(transposeTimes(U, X[t]), transposeTimes(W, h)), B));
      double[] y = sigmoid(plus(transposeTimes(V, h), C));

      assertRow(printedH[t], h, state.h().value(), 0, "h(" + (t + 1) + ")");
      assertRow(printedY[t], y, outputs.get(t).value(), 0, "y(" + (t + 1) + ")");
    }
  }

  @Test
  void jordanMatchesExample2OfTheNotes() {
    double[][][] printedH = {
      {{0.2, 0.72, -1.0}, {0.83, -0.29, 0.0}},
      {{0.98, 0.21, -0.98}, {-0.46, 0.98, 0.94}},
      {{1.0, 0.92, -1.0}, {-1.00, 0.94, 0.99}}
    };
    double[][] printedY = {{0.31, 0.90}, {0.83, 0.11}, {0.63, 0.04}};
    JordanCell cell = example2();
    Var inputs = Var.constant(Tensor.of(batchMajor(JORDAN_X))); // two sequences: [2, 3, 2]

    List<Var> outputs = new Recurrent<>(cell).run(inputs).outputs();
    HiddenState previousOutput = cell.initialState(2); // Y(0) = 0
    double[][] y = new double[2][1];
    // NOTE: at t = 3 the note's text writes Y(1) in H(3) = tanh(X(3) U + Y(1) W + B) but plugs in
    // Y(2)'s values (0.83, 0.11); the recurrence feeds back Y(t − 1), so Y(2) is right, and it is
    // what reproduces the printed H(3) and Y(3) (see the next test).
    for (int t = 0; t < 3; t++) {
      Var hidden = cell.hidden(inputs.select(1, t), previousOutput);
      previousOutput = cell.step(inputs.select(1, t), previousOutput).state();
      for (int p = 0; p < 2; p++) {
        double[] h =
            tanh(plus(plus(transposeTimes(U, JORDAN_X[t][p]), transposeTimes(JORDAN_W, y[p])), B));
        y[p] = sigmoid(plus(transposeTimes(JORDAN_V, h), JORDAN_C));

        assertRow(printedH[t][p], h, hidden.value(), p, "H(" + (t + 1) + ") row " + p);
        assertEquals(printedY[t][p], y[p][0], PRINTED, "Y(" + (t + 1) + ") row " + p);
        assertEquals(y[p][0], outputs.get(t).value().get(p, 0), EXACT);
        assertEquals(y[p][0], previousOutput.h().value().get(p, 0), EXACT);
      }
    }
  }

  @Test
  void example2sPrintedStepThreeNeedsY2NotY1() {
    JordanCell cell = example2();
    Var inputs = Var.constant(Tensor.of(batchMajor(JORDAN_X)));
    HiddenState y1 = cell.step(inputs.select(1, 0), cell.initialState(2)).state();
    HiddenState y2 = cell.step(inputs.select(1, 1), y1).state();

    Tensor withY2 = cell.hidden(inputs.select(1, 2), y2).value();
    Tensor withY1 = cell.hidden(inputs.select(1, 2), y1).value();

    // The note prints H(3)[0, 1] = 0.92: Y(2) gives it, Y(1) would give 0.72.
    assertEquals(0.92, withY2.get(0, 1), PRINTED);
    assertEquals(0.72, withY1.get(0, 1), PRINTED);
    assertNotEquals(0.92, withY1.get(0, 1), 0.1);
  }

  private static JordanCell example2() {
    return new JordanCell(
        Tensor.matrix(U),
        Tensor.matrix(JORDAN_W),
        Tensor.vector(B),
        Activation.TANH,
        Tensor.matrix(JORDAN_V),
        Tensor.vector(JORDAN_C),
        Activation.SIGMOID);
  }

  /** The printed row to its decimals, the exact row to 1e-12 against row {@code row} of actual. */
  private static void assertRow(
      double[] printed, double[] exact, Tensor actual, int row, String what) {
    for (int j = 0; j < exact.length; j++) {
      assertEquals(printed[j], exact[j], PRINTED, what + "[" + j + "] as printed");
      assertEquals(exact[j], actual.get(row, j), EXACT, what + "[" + j + "] exactly");
    }
  }

  /** {@code Aᵀ x} for A stored [in, out]: element j is Σ_i A[i][j] x[i]. */
  private static double[] transposeTimes(double[][] a, double[] x) {
    double[] result = new double[a[0].length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < result.length; j++) {
        result[j] += a[i][j] * x[i];
      }
    }
    return result;
  }

  private static double[] plus(double[] a, double[] b) {
    double[] result = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      result[i] = a[i] + b[i];
    }
    return result;
  }

  private static double[] tanh(double[] z) {
    double[] result = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      result[i] = Math.tanh(z[i]);
    }
    return result;
  }

  private static double[] sigmoid(double[] z) {
    double[] result = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      result[i] = 1 / (1 + Math.exp(-z[i]));
    }
    return result;
  }

  /** {@code [time][sequence][feature]} to {@code [sequence][time][feature]}. */
  private static double[][][] batchMajor(double[][][] timeMajor) {
    double[][][] result = new double[timeMajor[0].length][timeMajor.length][];
    for (int t = 0; t < timeMajor.length; t++) {
      for (int p = 0; p < timeMajor[t].length; p++) {
        result[p][t] = timeMajor[t][p];
      }
    }
    return result;
  }
}
