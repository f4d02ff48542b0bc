package dev.rewind.optim;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Bad hyperparameters and bad steps fail with a message naming the value and what it is. */
class BadInputTest {
  private final Parameter w = new Parameter("w", Tensor.zeros(2));
  private final List<Parameter> ws = List.of(w);

  private static void assertMessage(Supplier<?> bad, String... expected) {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, bad::get);
    for (String part : expected) {
      assertTrue(error.getMessage().contains(part), error.getMessage());
    }
  }

  @Test
  void learningRateMustBePositive() {
    assertMessage(() -> Sgd.builder(ws).learningRate(0.0), "Sgd", "learningRate 0.0");
    assertMessage(() -> Sgd.builder(ws).learningRate(-0.1), "learningRate -0.1");
    assertMessage(() -> Adam.builder(ws).learningRate(-1), "Adam", "learningRate -1.0");
    assertMessage(() -> AdamW.builder(ws).learningRate(Double.NaN), "learningRate NaN");
    assertMessage(() -> Sgd.builder(ws).build(), "learning rate was not set");
  }

  @Test
  void sgdMomentumAndNesterovMustBeConsistent() {
    assertMessage(() -> Sgd.builder(ws).learningRate(0.1).momentum(1.0), "momentum 1.0");
    assertMessage(() -> Sgd.builder(ws).learningRate(0.1).momentum(-0.5), "momentum -0.5");
    assertMessage(() -> Sgd.builder(ws).learningRate(0.1).weightDecay(-1), "weightDecay -1.0");
    assertMessage(
        () -> Sgd.builder(ws).learningRate(0.1).nesterov().build(), "Nesterov", "momentum is 0.0");
    assertMessage(
        () -> Sgd.builder(ws).learningRate(0.1).momentum(0.9).dampening(0.1).nesterov().build(),
        "dampening 0.1");
  }

  @Test
  void adamBetasAndEpsilonMustBeInRange() {
    assertMessage(() -> Adam.builder(ws).betas(1.0, 0.999).build(), "beta1 1.0");
    assertMessage(() -> AdamW.builder(ws).betas(0.9, -0.1).build(), "AdamW", "beta2 -0.1");
    assertMessage(() -> Adam.builder(ws).epsilon(0).build(), "epsilon 0.0");
    assertMessage(() -> Adam.builder(ws).weightDecay(-0.01).build(), "weightDecay -0.01");
  }

  @Test
  void rpropEtasMustShrinkAndGrow() {
    assertMessage(
        () -> Rprop.builder(RpropVariant.RPROP_PLUS, ws).etaMinus(1.0).build(),
        "Rprop(Rprop+)",
        "etaMinus 1.0");
    assertMessage(
        () -> Rprop.builder(RpropVariant.RPROP_MINUS, ws).etaMinus(0).build(), "etaMinus 0.0");
    assertMessage(
        () -> Rprop.builder(RpropVariant.IRPROP_PLUS, ws).etaPlus(1.0).build(), "etaPlus 1.0");
  }

  @Test
  void rpropStepBoundsMustBeOrderedAndHoldTheInitialStep() {
    assertMessage(
        () -> Rprop.builder(RpropVariant.IRPROP_MINUS, ws).stepBounds(1.0, 0.5).build(),
        "minStep 1.0 is above maxStep 0.5");
    assertMessage(
        () -> Rprop.builder(RpropVariant.IRPROP_MINUS, ws).stepBounds(-1, 0.5).build(),
        "[-1.0, 0.5]");
    assertMessage(
        () -> Rprop.builder(RpropVariant.IRPROP_MINUS, ws).initialStep(100).build(),
        "initialStep 100.0",
        "[1.0E-6, 50.0]");
    assertMessage(
        () -> Rprop.builder(RpropVariant.IRPROP_MINUS, ws).initialStep(0).build(),
        "initialStep 0.0");
  }

  @Test
  void parameterListMustBeNonEmptyWithoutRepeats() {
    assertMessage(() -> Sgd.builder(List.of()).learningRate(0.1).build(), "no parameters");
    assertMessage(() -> Adam.builder(List.of(w, w)).build(), "parameter 'w' is listed twice");
    assertMessage(
        () -> Adam.builder(List.of(w, new Parameter("w", Tensor.zeros(1)))).build(),
        "two parameters are named 'w'");
  }

  @Test
  void missingGradientNamesTheParameterAndTheOptimizer() {
    Parameter other = new Parameter("other", Tensor.zeros(1));
    Sgd sgd = Sgd.builder(List.of(w, other)).learningRate(0.1).build();
    assertMessage(
        () -> sgd.step(ParameterGradients.builder().put(w, Tensor.zeros(2)).build()),
        "Sgd",
        "no gradient for parameter 'other'");
  }

  @Test
  void gradientOfTheWrongShapeNamesTheParameterAndBothShapes() {
    assertMessage(
        () -> ParameterGradients.builder().put(w, Tensor.zeros(3)),
        "parameter 'w'",
        "shape [3]",
        "shape [2]");
  }

  @Test
  void scheduleGivingANegativeRateFailsTheStepNamingTheStep() {
    Sgd sgd = Sgd.builder(ws).learningRate(step -> step < 2 ? 0.1 : -0.1).build();
    ParameterGradients gradients = ParameterGradients.builder().put(w, Tensor.zeros(2)).build();
    sgd.step(gradients);
    sgd.step(gradients);
    assertMessage(() -> sgd.step(gradients), "learning rate -0.1 at step 2");
  }
}
