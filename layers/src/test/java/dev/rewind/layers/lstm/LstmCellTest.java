package dev.rewind.layers.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.RecurrentCell;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The LSTM's forward pass against its equations written out with scalar loops, and its errors. */
class LstmCellTest {

  @Test
  void everyFormMatchesItsEquationsComputedElementByElement() {
    List<LstmCell.Options> forms =
        List.of(
            LstmCell.Options.standard(),
            LstmCell.Options.original1997(),
            LstmCell.Options.standard().withPeepholes(),
            LstmCell.Options.original1997().withPeepholes());
    for (LstmCell.Options options : forms) {
      Random random = new Random(3);
      LstmCell cell = LstmCell.random(options, 3, 4, random);
      Tensor x = Tensor.randomNormal(Shape.of(2, 3), 0, 1, random);
      Tensor h = Tensor.randomNormal(Shape.of(2, 4), 0, 0.5, random);
      Tensor c = Tensor.randomNormal(Shape.of(2, 4), 0, 0.5, random);

      RecurrentCell.Step<LstmState> step =
          cell.step(Var.constant(x), new LstmState(Var.constant(h), Var.constant(c)));

      double[][] expected = reference(cell, x, h, c);
      Tensor expectedH = Tensor.of(Shape.of(2, 4), expected[0]);
      Tensor expectedC = Tensor.of(Shape.of(2, 4), expected[1]);
      assertTrue(step.state().h().value().allClose(expectedH, 0, 1e-14), options::toString);
      assertTrue(step.state().c().value().allClose(expectedC, 0, 1e-14), options::toString);
      assertEquals(step.output(), step.state().h());
    }
  }

  @Test
  void theOriginalFormAccumulatesItsMemoryWithoutForgetting() {
    LstmCell cell = LstmCell.random(LstmCell.Options.original1997(), 2, 3, new Random(4));
    Var x = Var.constant(Tensor.randomNormal(Shape.of(1, 2), 0, 1, new Random(5)));
    LstmState before = cell.initialState(1);

    LstmState once = cell.step(x, before).state();
    LstmState twice = cell.step(x, once).state();

    // c(t) − c(t−1) = i ⊙ g, with no forget gate to shrink c(t−1).
    List<Var> gates =
        x.matmul(cell.namedParameters().get("weightIh"))
            .add(cell.namedParameters().get("biasIh"))
            .add(once.h().matmul(cell.namedParameters().get("weightHh")))
            .add(cell.namedParameters().get("biasHh"))
            .split(1, 3, 3, 3);
    Var increment = gates.get(0).sigmoid().mul(gates.get(1).tanh());
    assertTrue(
        twice.c().value().allClose(once.c().add(increment).value(), 0, 1e-15),
        () -> twice.c() + " vs " + once.c().add(increment));
  }

  @Test
  void theParametersFollowTheirDocumentedNamesAndShapes() {
    LstmCell standard = LstmCell.random(5, 3, new Random(1));
    LstmCell peephole =
        LstmCell.random(LstmCell.Options.original1997().withPeepholes(), 5, 3, new Random(1));

    assertEquals(
        List.of("weightIh", "weightHh", "biasIh", "biasHh"),
        standard.namedParameters().keySet().asList());
    assertEquals(Shape.of(5, 12), standard.namedParameters().get("weightIh").shape());
    assertEquals(Shape.of(3, 12), standard.namedParameters().get("weightHh").shape());
    assertEquals(4 * 3 * (5 + 3 + 2), standard.parameterCount());
    assertEquals(Shape.of(5, 9), peephole.namedParameters().get("weightIh").shape());
    assertEquals(Shape.of(6), peephole.namedParameters().get("peephole").shape());
  }

  @Test
  void randomCellsAreUniformWithinOneOverRootHidden() {
    LstmCell cell =
        LstmCell.random(LstmCell.Options.standard().withPeepholes(), 4, 16, new Random(2));
    for (Parameter parameter : cell.parameters()) {
      for (double value : parameter.value().toArray()) {
        assertTrue(Math.abs(value) <= 0.25, parameter::toString);
      }
    }
    assertEquals(
        LstmCell.random(4, 16, new Random(9)).parameters().get(0).value(),
        LstmCell.random(4, 16, new Random(9)).parameters().get(0).value());
  }

  @Test
  void theForgetBiasSetsTheForgetBlockOnly() {
    LstmCell cell = LstmCell.random(2, 3, new Random(6));
    Tensor biasIh = cell.namedParameters().get("biasIh").value();
    Tensor biasHh = cell.namedParameters().get("biasHh").value();

    cell.setForgetBias(1.0);

    Tensor newIh = cell.namedParameters().get("biasIh").value();
    Tensor newHh = cell.namedParameters().get("biasHh").value();
    for (int k = 0; k < 12; k++) {
      boolean forget = k >= 3 && k < 6;
      assertEquals(forget ? 1.0 : biasIh.getFlat(k), newIh.getFlat(k));
      assertEquals(forget ? 0.0 : biasHh.getFlat(k), newHh.getFlat(k));
    }
  }

  @Test
  void theOriginalFormHasNoForgetBiasToSet() {
    LstmCell cell = LstmCell.random(LstmCell.Options.original1997(), 2, 3, new Random(6));

    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> cell.setForgetBias(1));

    assertEquals("LstmCell: the 1997 form has no forget gate to bias", e.getMessage());
  }

  @Test
  void anInputOfTheWrongSizeNamesTheCellTheWeightAndBothSizes() {
    LstmCell cell = LstmCell.random(3, 4, new Random(1));

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> cell.step(Var.constant(Tensor.zeros(2, 5)), cell.initialState(2)));

    assertEquals(
        "LstmCell: input [2, 5] has 5 features but weightIh expects 3: inputs are [batch, 3]",
        e.getMessage());
  }

  @Test
  void aStateOfTheWrongShapeIsRejectedWithBothShapes() {
    LstmCell cell = LstmCell.random(3, 4, new Random(1));
    LstmState wrongC =
        new LstmState(Var.constant(Tensor.zeros(2, 4)), Var.constant(Tensor.zeros(2, 5)));

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> cell.step(Var.constant(Tensor.zeros(2, 3)), wrongC));
    IllegalArgumentException batch =
        assertThrows(
            IllegalArgumentException.class,
            () -> cell.step(Var.constant(Tensor.zeros(3, 3)), cell.initialState(2)));

    assertEquals(
        "LstmCell: state c has shape [2, 5] but input [2, 3] and 4 hidden units need [2, 4]",
        e.getMessage());
    assertEquals(
        "LstmCell: state h has shape [2, 4] but input [3, 3] and 4 hidden units need [3, 4]",
        batch.getMessage());
  }

  @Test
  void weightsThatDoNotFitAreRejectedByName() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new LstmCell(
                    Tensor.zeros(3, 16), Tensor.zeros(4, 16), Tensor.zeros(16), Tensor.zeros(12)));
    IllegalArgumentException ih =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new LstmCell(
                    Tensor.zeros(3, 12), Tensor.zeros(4, 16), Tensor.zeros(16), Tensor.zeros(16)));

    assertEquals("LstmCell: biasHh has shape [12] but 4 hidden units need [16]", e.getMessage());
    assertEquals(
        "LstmCell: weightIh has shape [3, 12] but 4 hidden units and 4 gate blocks need [in, 16]",
        ih.getMessage());
  }

  /** h(t) and c(t) from the equations of the class Javadoc, one scalar at a time. */
  private static double[][] reference(LstmCell cell, Tensor x, Tensor h, Tensor c) {
    int batch = x.shape().dim(0);
    int in = x.shape().dim(1);
    int hidden = cell.hiddenSize();
    boolean forget = cell.options().form() == LstmCell.Form.FORGET_GATE;
    int blocks = forget ? 4 : 3;
    Tensor wi = cell.namedParameters().get("weightIh").value();
    Tensor wh = cell.namedParameters().get("weightHh").value();
    Tensor bi = cell.namedParameters().get("biasIh").value();
    Tensor bh = cell.namedParameters().get("biasHh").value();
    Parameter peephole = cell.namedParameters().get("peephole");
    double[] newH = new double[batch * hidden];
    double[] newC = new double[batch * hidden];
    for (int n = 0; n < batch; n++) {
      for (int j = 0; j < hidden; j++) {
        double[] a = new double[blocks];
        for (int g = 0; g < blocks; g++) {
          int column = g * hidden + j;
          a[g] = bi.getFlat(column) + bh.getFlat(column);
          for (int k = 0; k < in; k++) {
            a[g] += x.get(n, k) * wi.get(k, column);
          }
          for (int k = 0; k < hidden; k++) {
            a[g] += h.get(n, k) * wh.get(k, column);
          }
        }
        double previous = c.get(n, j);
        double pi = peephole == null ? 0 : peephole.value().getFlat(j);
        double pf = peephole == null || !forget ? 0 : peephole.value().getFlat(hidden + j);
        double po = peephole == null ? 0 : peephole.value().getFlat((blocks - 2) * hidden + j);
        double i = sigmoid(a[0] + pi * previous);
        double f = forget ? sigmoid(a[1] + pf * previous) : 1;
        double g = Math.tanh(a[forget ? 2 : 1]);
        double memory = f * previous + i * g;
        double o = sigmoid(a[blocks - 1] + po * memory);
        newC[n * hidden + j] = memory;
        newH[n * hidden + j] = o * Math.tanh(memory);
      }
    }
    return new double[][] {newH, newC};
  }

  private static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }
}
