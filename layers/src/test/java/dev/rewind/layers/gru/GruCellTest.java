package dev.rewind.layers.gru;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.RecurrentCell;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Both GRU forms against their equations written out with scalar loops, and the GRU's errors. */
class GruCellTest {

  @Test
  void bothFormsMatchTheirEquationsComputedElementByElement() {
    for (GruCell.Form form : GruCell.Form.values()) {
      Random random = new Random(11);
      GruCell cell = GruCell.random(form, 3, 4, random);
      Tensor x = Tensor.randomNormal(Shape.of(2, 3), 0, 1, random);
      Tensor h = Tensor.randomNormal(Shape.of(2, 4), 0, 0.5, random);

      RecurrentCell.Step<HiddenState> step =
          cell.step(Var.constant(x), new HiddenState(Var.constant(h)));

      Tensor expected = Tensor.of(Shape.of(2, 4), reference(cell, x, h));
      assertTrue(step.output().value().allClose(expected, 0, 1e-14), form::toString);
      assertEquals(step.output(), step.state().h());
    }
  }

  @Test
  void theTwoFormsDifferWhereTheResetGateMeetsTheRecurrentWeights() {
    GruCell after = GruCell.random(GruCell.Form.RESET_AFTER, 3, 4, new Random(12));
    List<Tensor> weights = after.parameters().stream().map(p -> p.value()).toList();
    GruCell before =
        new GruCell(
            GruCell.Form.RESET_BEFORE,
            weights.get(0),
            weights.get(1),
            weights.get(2),
            weights.get(3));
    Var x = Var.constant(Tensor.randomNormal(Shape.of(2, 3), 0, 1, new Random(13)));
    HiddenState h =
        new HiddenState(Var.constant(Tensor.randomNormal(Shape.of(2, 4), 0, 1, new Random(14))));

    Tensor fromAfter = after.step(x, h).output().value();
    Tensor fromBefore = before.step(x, h).output().value();

    assertFalse(fromAfter.allClose(fromBefore, 0, 1e-3));
  }

  @Test
  void theParametersFollowPyTorchsLayoutTransposed() {
    GruCell cell = GruCell.random(5, 3, new Random(1));

    assertEquals(
        List.of("weightIh", "weightHh", "biasIh", "biasHh"),
        cell.namedParameters().keySet().asList());
    assertEquals(Shape.of(5, 9), cell.namedParameters().get("weightIh").shape());
    assertEquals(Shape.of(3, 9), cell.namedParameters().get("weightHh").shape());
    assertEquals(3 * 3 * (5 + 3 + 2), cell.parameterCount());
    assertEquals(GruCell.Form.RESET_AFTER, cell.form());
  }

  @Test
  void anInputOfTheWrongSizeNamesTheCellTheWeightAndBothSizes() {
    GruCell cell = GruCell.random(3, 4, new Random(1));

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> cell.step(Var.constant(Tensor.zeros(2, 5)), cell.initialState(2)));

    assertEquals(
        "GruCell: input [2, 5] has 5 features but weightIh expects 3: inputs are [batch, 3]",
        e.getMessage());
  }

  @Test
  void aStateOfTheWrongShapeIsRejectedWithBothShapes() {
    GruCell cell = GruCell.random(3, 4, new Random(1));

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> cell.step(Var.constant(Tensor.zeros(2, 3)), HiddenState.zeros(2, 3)));

    assertEquals(
        "GruCell: state h has shape [2, 3] but input [2, 3] and 4 hidden units need [2, 4]",
        e.getMessage());
  }

  @Test
  void weightsThatDoNotFitAreRejectedByName() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new GruCell(
                    Tensor.zeros(3, 9), Tensor.zeros(4, 12), Tensor.zeros(12), Tensor.zeros(12)));

    assertEquals(
        "GruCell: weightIh has shape [3, 9] but 4 hidden units need [in, 12]", e.getMessage());
  }

  /** h(t) from the equations of the class Javadoc, one scalar at a time. */
  private static double[] reference(GruCell cell, Tensor x, Tensor h) {
    int batch = x.shape().dim(0);
    int in = x.shape().dim(1);
    int hidden = cell.hiddenSize();
    Tensor wi = cell.namedParameters().get("weightIh").value();
    Tensor wh = cell.namedParameters().get("weightHh").value();
    Tensor bi = cell.namedParameters().get("biasIh").value();
    Tensor bh = cell.namedParameters().get("biasHh").value();
    double[] result = new double[batch * hidden];
    for (int n = 0; n < batch; n++) {
      double[] r = new double[hidden];
      double[] z = new double[hidden];
      for (int j = 0; j < hidden; j++) {
        r[j] = sigmoid(affine(x, wi, bi, n, j, in) + affine(h, wh, bh, n, j, hidden));
        int zj = hidden + j;
        z[j] = sigmoid(affine(x, wi, bi, n, zj, in) + affine(h, wh, bh, n, zj, hidden));
      }
      for (int j = 0; j < hidden; j++) {
        int column = 2 * hidden + j;
        double fromState;
        if (cell.form() == GruCell.Form.RESET_AFTER) {
          fromState = r[j] * affine(h, wh, bh, n, column, hidden);
        } else {
          fromState = bh.getFlat(column);
          for (int k = 0; k < hidden; k++) {
            fromState += r[k] * h.get(n, k) * wh.get(k, column);
          }
        }
        double candidate = Math.tanh(affine(x, wi, bi, n, column, in) + fromState);
        result[n * hidden + j] = (1 - z[j]) * candidate + z[j] * h.get(n, j);
      }
    }
    return result;
  }

  /** {@code (v W + b)[n, column]}. */
  private static double affine(Tensor v, Tensor w, Tensor b, int n, int column, int size) {
    double sum = b.getFlat(column);
    for (int k = 0; k < size; k++) {
      sum += v.get(n, k) * w.get(k, column);
    }
    return sum;
  }

  private static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }
}
