package dev.rewind.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each Rprop variant on one weight, step by step, against values computed by hand: w starts at 0,
 * Δ0 = 0.1, η+ = 1.2, η− = 0.5, and the gradients are +1, +2, −1, −1, +3 — the sign holds, then
 * flips at step 3 and again at step 5.
 */
class RpropVariantsTest {
  private static final double EXACT = 1e-15;
  private static final double[] GRADIENTS = {1, 2, -1, -1, 3};

  /** What the test reads after each step: the weight, Δ and the remembered gradient. */
  private record Snapshot(double weight, double step, double previousGradient) {}

  private static Snapshot[] run(RpropVariant variant, double... losses) {
    Parameter w = new Parameter("w", Tensor.scalar(0.0));
    Rprop rprop = Rprop.builder(variant, List.of(w)).initialStep(0.1).build();
    Snapshot[] snapshots = new Snapshot[GRADIENTS.length];
    for (int t = 0; t < GRADIENTS.length; t++) {
      ParameterGradients gradients =
          ParameterGradients.builder().put(w, Tensor.scalar(GRADIENTS[t])).build();
      rprop.step(losses.length == 0 ? gradients : gradients.withLoss(losses[t]));
      OptimizerState state = rprop.exportState();
      snapshots[t] =
          new Snapshot(
              w.value().item(),
              state.slots().get("w").get("step").item(),
              state.slots().get("w").get("previousGradient").item());
    }
    return snapshots;
  }

  private static void assertSnapshot(
      Snapshot actual, double weight, double step, double previousGradient, int t) {
    assertEquals(weight, actual.weight(), EXACT, "weight after step " + t);
    assertEquals(step, actual.step(), EXACT, "Δ after step " + t);
    assertEquals(previousGradient, actual.previousGradient(), 0.0, "g_prev after step " + t);
  }

  @Test
  void stepGrowsByEtaPlusWhileTheSignHoldsForEveryVariant() {
    for (RpropVariant variant : RpropVariant.values()) {
      Snapshot[] s = run(variant, 5, 4, 3, 2, 1);
      assertSnapshot(s[0], -0.1, 0.1, 1, 1);
      assertSnapshot(s[1], -0.1 - 0.12, 0.12, 2, 2);
    }
  }

  @Test
  void rpropPlusUndoesThePreviousStepWhenTheSignFlips() {
    Snapshot[] s = run(RpropVariant.RPROP_PLUS);
    assertSnapshot(s[2], -0.1, 0.06, 0, 3);
    // g_prev = 0, so Δ is kept and the weight moves against the new gradient.
    assertSnapshot(s[3], -0.1 + 0.06, 0.06, -1, 4);
    assertSnapshot(s[4], -0.1, 0.03, 0, 5);
  }

  @Test
  void rpropMinusKeepsMovingWithTheSmallerStepWhenTheSignFlips() {
    Snapshot[] s = run(RpropVariant.RPROP_MINUS);
    assertSnapshot(s[2], -0.22 + 0.06, 0.06, -1, 3);
    assertSnapshot(s[3], -0.16 + 0.072, 0.072, -1, 4);
    assertSnapshot(s[4], -0.088 - 0.036, 0.036, 3, 5);
  }

  @Test
  void iRpropPlusUndoesThePreviousStepOnlyWhenTheLossGrew() {
    Snapshot[] grew = run(RpropVariant.IRPROP_PLUS, 5, 4, 6, 3, 7);
    assertSnapshot(grew[2], -0.1, 0.06, 0, 3);
    assertSnapshot(grew[3], -0.04, 0.06, -1, 4);
    assertSnapshot(grew[4], -0.1, 0.03, 0, 5);

    Snapshot[] fell = run(RpropVariant.IRPROP_PLUS, 5, 4, 3, 2, 1);
    assertSnapshot(fell[2], -0.22, 0.06, 0, 3);
    assertSnapshot(fell[3], -0.16, 0.06, -1, 4);
    assertSnapshot(fell[4], -0.16, 0.03, 0, 5);
  }

  @Test
  void iRpropMinusLeavesTheWeightWhenTheSignFlips() {
    Snapshot[] s = run(RpropVariant.IRPROP_MINUS);
    assertSnapshot(s[2], -0.22, 0.06, 0, 3);
    assertSnapshot(s[3], -0.22 + 0.06, 0.06, -1, 4);
    assertSnapshot(s[4], -0.16, 0.03, 0, 5);
  }

  @Test
  void stepStopsGrowingAtMaxStep() {
    Parameter w = new Parameter("w", Tensor.scalar(0.0));
    Rprop rprop =
        Rprop.builder(RpropVariant.IRPROP_MINUS, List.of(w))
            .initialStep(0.1)
            .stepBounds(1e-6, 0.15)
            .build();
    double[] expected = {0.1, 0.12, 0.144, 0.15, 0.15};
    for (double step : expected) {
      rprop.step(ParameterGradients.builder().put(w, Tensor.scalar(1.0)).build());
      assertEquals(step, rprop.exportState().slots().get("w").get("step").item(), EXACT);
    }
    assertEquals(-(0.1 + 0.12 + 0.144 + 0.15 + 0.15), w.value().item(), EXACT);
  }

  @Test
  void stepStopsShrinkingAtMinStep() {
    Parameter w = new Parameter("w", Tensor.scalar(0.0));
    Rprop rprop =
        Rprop.builder(RpropVariant.RPROP_MINUS, List.of(w))
            .initialStep(0.1)
            .stepBounds(0.02, 50)
            .build();
    double[] expected = {0.1, 0.05, 0.025, 0.02, 0.02};
    for (int t = 0; t < expected.length; t++) {
      double gradient = t % 2 == 0 ? 1.0 : -1.0;
      rprop.step(ParameterGradients.builder().put(w, Tensor.scalar(gradient)).build());
      assertEquals(expected[t], rprop.exportState().slots().get("w").get("step").item(), EXACT);
    }
  }

  @Test
  void zeroGradientNeitherMovesTheWeightNorChangesTheStep() {
    for (RpropVariant variant : RpropVariant.values()) {
      Parameter w = new Parameter("w", Tensor.scalar(1.0));
      Rprop rprop = Rprop.builder(variant, List.of(w)).initialStep(0.1).build();
      for (double gradient : new double[] {1.0, 0.0, 0.0}) {
        rprop.step(
            ParameterGradients.builder().put(w, Tensor.scalar(gradient)).build().withLoss(1.0));
      }
      assertEquals(0.9, w.value().item(), EXACT, variant.toString());
      assertEquals(0.1, rprop.exportState().slots().get("w").get("step").item(), EXACT);
    }
  }

  @Test
  void elementsOfOneTensorAdaptTheirStepsIndependently() {
    Parameter w = new Parameter("w", Tensor.vector(0.0, 0.0));
    Rprop rprop = Rprop.builder(RpropVariant.IRPROP_MINUS, List.of(w)).initialStep(0.1).build();
    rprop.step(ParameterGradients.builder().put(w, Tensor.vector(1.0, 1.0)).build());
    rprop.step(ParameterGradients.builder().put(w, Tensor.vector(1.0, -1.0)).build());
    Tensor steps = rprop.exportState().slots().get("w").get("step");
    assertEquals(0.12, steps.getFlat(0), EXACT);
    assertEquals(0.05, steps.getFlat(1), EXACT);
    assertEquals(-0.22, w.value().getFlat(0), EXACT);
    assertEquals(-0.1, w.value().getFlat(1), EXACT);
  }

  @Test
  void iRpropPlusWithoutTheLossIsAnErrorSayingHowToGiveIt() {
    Parameter w = new Parameter("w", Tensor.scalar(0.0));
    Rprop rprop = Rprop.builder(RpropVariant.IRPROP_PLUS, List.of(w)).build();
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class,
            () -> rprop.step(ParameterGradients.builder().put(w, Tensor.scalar(1.0)).build()));
    assertTrue(error.getMessage().contains("withLoss"), error.getMessage());
    assertEquals(0.0, w.value().item());
  }

  @Test
  void variantsAreNamedAsInTheLiterature() {
    assertEquals("Rprop+", RpropVariant.RPROP_PLUS.toString());
    assertEquals("Rprop-", RpropVariant.RPROP_MINUS.toString());
    assertEquals("iRprop+", RpropVariant.IRPROP_PLUS.toString());
    assertEquals("iRprop-", RpropVariant.IRPROP_MINUS.toString());
    Parameter w = new Parameter("w", Tensor.scalar(0.0));
    assertEquals(
        "Rprop(iRprop-)",
        Rprop.builder(RpropVariant.IRPROP_MINUS, List.of(w)).build().exportState().optimizer());
  }
}
