package dev.rewind.optim.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.optim.Adam;
import dev.rewind.optim.AdamW;
import dev.rewind.optim.NonFiniteGradientException;
import dev.rewind.optim.Optimizer;
import dev.rewind.optim.OptimizerState;
import dev.rewind.optim.ParameterGradients;
import dev.rewind.optim.Rprop;
import dev.rewind.optim.RpropVariant;
import dev.rewind.optim.Sgd;
import dev.rewind.optim.StepReport;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ClippedOptimizerTest {
  private static final Map<String, Function<List<Parameter>, Optimizer>> OPTIMIZERS =
      Map.of(
          "sgd", p -> Sgd.builder(p).learningRate(0.1).momentum(0.9).nesterov().build(),
          "adam", p -> Adam.builder(p).learningRate(0.1).build(),
          "adamw", p -> AdamW.builder(p).learningRate(0.1).build(),
          "rprop+", p -> Rprop.builder(RpropVariant.RPROP_PLUS, p).build(),
          "rprop-", p -> Rprop.builder(RpropVariant.RPROP_MINUS, p).build(),
          "irprop+", p -> Rprop.builder(RpropVariant.IRPROP_PLUS, p).build(),
          "irprop-", p -> Rprop.builder(RpropVariant.IRPROP_MINUS, p).build());

  private static Parameter a() {
    return new Parameter("a", Tensor.vector(1.0, -2.0));
  }

  private static Parameter b() {
    return new Parameter("b", Tensor.scalar(0.5));
  }

  /** A gradient sequence with large and flipping entries, so that clipping and Rprop both act. */
  private static ParameterGradients gradients(Parameter a, Parameter b, int step) {
    double sign = step % 3 == 2 ? -1 : 1;
    return ParameterGradients.builder()
        .put(a, Tensor.vector(30.0 * sign, -4.0 + step))
        .put(b, Tensor.scalar(2.0 * sign))
        .build()
        .withLoss(10.0 - step + (step % 3));
  }

  @Test
  void clippingComposesWithEveryOptimizer() {
    GradientClipper clipper = ClipByGlobalNorm.l2(1.0);
    OPTIMIZERS.forEach(
        (name, factory) -> {
          Parameter a1 = a();
          Parameter b1 = b();
          Optimizer clipped =
              new ClippedOptimizer(factory.apply(List.of(a1, b1)), clipper, NonFinitePolicy.THROW);
          Parameter a2 = a();
          Parameter b2 = b();
          Optimizer byHand = factory.apply(List.of(a2, b2));
          for (int step = 0; step < 6; step++) {
            clipped.step(gradients(a1, b1, step));
            byHand.step(clipper.clip(gradients(a2, b2, step)).gradients());
          }
          assertEquals(a2.value(), a1.value(), name);
          assertEquals(b2.value(), b1.value(), name);
          assertEquals(byHand.exportState(), clipped.exportState(), name);
        });
  }

  @Test
  void reportCarriesTheNormBeforeClipping() {
    Parameter a = a();
    Parameter b = b();
    Optimizer optimizer =
        new ClippedOptimizer(
            Sgd.builder(List.of(a, b)).learningRate(0.1).build(),
            ClipByGlobalNorm.l2(1.0),
            NonFinitePolicy.THROW);
    StepReport report =
        optimizer.step(
            ParameterGradients.builder()
                .put(a, Tensor.vector(3.0, 0.0))
                .put(b, Tensor.scalar(4.0))
                .build());
    assertTrue(report.taken());
    assertEquals(5.0, report.gradientNorm(), 1e-15);
    assertEquals(Tensor.vector(1.0 - 0.1 * 0.6, -2.0), a.value());
  }

  @Test
  void skipPolicyLeavesParametersAndStateAndReportsTheParameters() {
    Parameter a = a();
    Parameter b = b();
    Optimizer optimizer =
        new ClippedOptimizer(
            Adam.builder(List.of(a, b)).learningRate(0.1).build(),
            ClipByGlobalNorm.l2(1.0),
            NonFinitePolicy.SKIP_STEP);
    optimizer.step(gradients(a, b, 0));
    OptimizerState before = optimizer.exportState();
    Tensor aBefore = a.value();
    Tensor bBefore = b.value();
    StepReport report =
        optimizer.step(
            ParameterGradients.builder()
                .put(a, Tensor.vector(Double.NaN, 1.0))
                .put(b, Tensor.scalar(Double.NEGATIVE_INFINITY))
                .build());
    assertFalse(report.taken());
    assertEquals(ImmutableList.of("a", "b"), report.nonFiniteParameters());
    assertTrue(Double.isNaN(report.gradientNorm()));
    assertEquals(aBefore, a.value());
    assertEquals(bBefore, b.value());
    assertEquals(before, optimizer.exportState());
    assertEquals(1, optimizer.steps());
    assertTrue(optimizer.step(gradients(a, b, 1)).taken());
    assertEquals(2, optimizer.steps());
  }

  @Test
  void throwPolicyNamesTheParameterAndChangesNothing() {
    Parameter a = a();
    Parameter b = b();
    Optimizer optimizer =
        new ClippedOptimizer(
            Sgd.builder(List.of(a, b)).learningRate(0.1).build(),
            new ClipByValue(1.0),
            NonFinitePolicy.THROW);
    NonFiniteGradientException error =
        assertThrows(
            NonFiniteGradientException.class,
            () ->
                optimizer.step(
                    ParameterGradients.builder()
                        .put(a, Tensor.vector(1.0, 1.0))
                        .put(b, Tensor.scalar(Double.NaN))
                        .build()));
    assertEquals("b", error.parameterName());
    assertEquals(a().value(), a.value());
    assertEquals(0, optimizer.steps());
  }

  @Test
  void globalNormIsTakenOverTheOptimizersParametersOnly() {
    Parameter a = a();
    Parameter other = new Parameter("other", Tensor.scalar(0.0));
    Optimizer optimizer =
        new ClippedOptimizer(
            Sgd.builder(List.of(a)).learningRate(1.0).build(),
            ClipByGlobalNorm.l2(10.0),
            NonFinitePolicy.THROW);
    StepReport report =
        optimizer.step(
            ParameterGradients.builder()
                .put(a, Tensor.vector(3.0, 4.0))
                .put(other, Tensor.scalar(1000.0))
                .build());
    assertEquals(5.0, report.gradientNorm(), 1e-15);
    assertEquals(Tensor.vector(-2.0, -6.0), a.value());
  }

  @Test
  void nestedClippersApplyInnerAfterOuter() {
    Parameter a = a();
    Optimizer optimizer =
        new ClippedOptimizer(
            new ClippedOptimizer(
                Sgd.builder(List.of(a)).learningRate(1.0).build(),
                ClipByGlobalNorm.l2(1.0),
                NonFinitePolicy.THROW),
            new ClipByValue(3.0),
            NonFinitePolicy.THROW);
    StepReport report =
        optimizer.step(ParameterGradients.builder().put(a, Tensor.vector(4.0, 100.0)).build());
    // By value: (3, 3); then by global norm: (3, 3) / (3√2) = (1/√2, 1/√2).
    assertEquals(100.0, report.gradientNorm());
    assertEquals(1.0 - 1 / Math.sqrt(2), a.value().getFlat(0), 1e-15);
    assertEquals(-2.0 - 1 / Math.sqrt(2), a.value().getFlat(1), 1e-15);
  }
}
