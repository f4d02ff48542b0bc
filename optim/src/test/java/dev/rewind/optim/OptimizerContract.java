package dev.rewind.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.io.Safetensors;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every optimizer promises, checked on a convex quadratic {@code 0.5 ‖w − target‖²} whose
 * gradient is written down directly. Each algorithm extends this with a factory.
 */
abstract class OptimizerContract {
  @TempDir Path folder;

  private static final Tensor TARGET = Tensor.vector(0.5, -1.0, 2.0);

  /** A fresh optimizer over {@code parameters}, without weight decay. */
  protected abstract Optimizer create(List<Parameter> parameters);

  /**
   * How far a float32 run may drift from the float64 run from the same start, relative to the
   * larger of 1 and the float64 value: about eight units in the last place of a float (2^-23 ≈
   * 1.2e-7), for ten steps that each round the value and the state once. The runs here drift by up
   * to 2e-7.
   */
  private static final double FLOAT32_TOLERANCE = 1e-6;

  private static Parameter weights(String name) {
    return weights(name, DType.FLOAT64);
  }

  /** The same start in either dtype: every element is a float, so the two runs start equal. */
  private static Parameter weights(String name, DType dtype) {
    return new Parameter(name, Tensor.vector(3.0, 1.0, -2.0).to(dtype));
  }

  private static ParameterGradients gradients(Parameter w) {
    return Problems.quadraticGradients(List.of(w), List.of(TARGET));
  }

  @Test
  void zeroGradientLeavesParametersUnchanged() {
    Parameter w = weights("w");
    Tensor before = w.value();
    Optimizer optimizer = create(List.of(w));
    for (int i = 0; i < 3; i++) {
      optimizer.step(ParameterGradients.builder().put(w, Tensor.zeros(3)).build().withLoss(1.0));
    }
    assertEquals(before, w.value());
  }

  @Test
  void convexQuadraticLossDecreases() {
    Parameter w = weights("w");
    Optimizer optimizer = create(List.of(w));
    double initial = Problems.quadraticLoss(w, TARGET);
    for (int i = 0; i < 50; i++) {
      optimizer.step(gradients(w));
    }
    double last = Problems.quadraticLoss(w, TARGET);
    assertTrue(last < 0.9 * initial, "loss went from " + initial + " to " + last);
  }

  @Test
  void stateIsKeptPerParameter() {
    Parameter alone = weights("a");
    Parameter together = weights("a");
    Parameter other = new Parameter("b", Tensor.vector(-4.0, 7.0));
    Optimizer single = create(List.of(alone));
    Optimizer pair = create(List.of(together, other));
    for (int i = 0; i < 6; i++) {
      single.step(gradients(alone));
      Tensor otherGradient = Tensor.vector(10.0 * (i % 2 == 0 ? 1 : -1), 0.001 * i);
      double loss = gradients(together).loss().getAsDouble();
      pair.step(
          ParameterGradients.builder()
              .put(together, Problems.quadraticGradient(together, TARGET))
              .put(other, otherGradient)
              .build()
              .withLoss(loss));
    }
    assertEquals(alone.value(), together.value());
  }

  @Test
  void restoredOptimizerContinuesBitForBit() {
    continuesBitForBitAfterRestore(DType.FLOAT64);
  }

  @Test
  void restoredFloat32OptimizerContinuesBitForBit() {
    continuesBitForBitAfterRestore(DType.FLOAT32);
  }

  private void continuesBitForBitAfterRestore(DType dtype) {
    Parameter uninterrupted = weights("w", dtype);
    Optimizer reference = create(List.of(uninterrupted));
    Parameter interrupted = weights("w", dtype);
    Optimizer first = create(List.of(interrupted));
    for (int i = 0; i < 7; i++) {
      reference.step(gradients(uninterrupted));
      first.step(gradients(interrupted));
    }
    Optimizer second = create(List.of(interrupted));
    second.restoreState(first.exportState());
    for (int i = 0; i < 8; i++) {
      reference.step(gradients(uninterrupted));
      second.step(gradients(interrupted));
    }
    assertEquals(uninterrupted.value(), interrupted.value());
    assertEquals(dtype, interrupted.dtype());
    assertEquals(reference.exportState(), second.exportState());
    assertSlotsAre(dtype, second.exportState());
    assertEquals(15, second.steps());
  }

  @Test
  void float32RunStaysFloat32AndAgreesWithTheFloat64Run() {
    Parameter exact = weights("w");
    Parameter single = weights("w", DType.FLOAT32);
    Optimizer reference = create(List.of(exact));
    Optimizer optimizer = create(List.of(single));
    for (int i = 0; i < 10; i++) {
      reference.step(gradients(exact));
      optimizer.step(gradients(single));
      assertEquals(DType.FLOAT32, single.dtype(), "step " + i);
      assertAgreeToFloat32("w after step " + i, exact.value(), single.value());
    }
    OptimizerState state = optimizer.exportState();
    assertSlotsAre(DType.FLOAT32, state);
    reference
        .exportState()
        .slots()
        .forEach(
            (parameter, slots) ->
                slots.forEach(
                    (slot, value) ->
                        assertAgreeToFloat32(slot, value, state.slots().get(parameter).get(slot))));
  }

  @Test
  void gradientOfAnotherDtypeIsAnErrorNamingTheParameterAndBothDtypes() {
    Parameter w = weights("w", DType.FLOAT32);
    IllegalArgumentException given =
        assertThrows(
            IllegalArgumentException.class,
            () -> ParameterGradients.builder().put(w, Tensor.zeros(3)));
    assertEquals(
        "gradients: gradient for parameter 'w' is float64 but the parameter is float32; convert"
            + " one explicitly with to(DType)",
        given.getMessage());
    IllegalArgumentException reverse =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ParameterGradients.builder().put(weights("u"), Tensor.zeros(3).to(DType.FLOAT32)));
    assertTrue(
        reverse
            .getMessage()
            .contains("gradient for parameter 'u' is float32 but the parameter is float64"),
        reverse.getMessage());

    // A parameter converted after its gradient was taken: refused at the step, nothing changes.
    Parameter v = weights("v");
    Optimizer optimizer = create(List.of(v));
    ParameterGradients float64Gradients = gradients(v);
    v.convertTo(DType.FLOAT32);
    Tensor before = v.value();
    IllegalArgumentException stepped =
        assertThrows(IllegalArgumentException.class, () -> optimizer.step(float64Gradients));
    assertTrue(
        stepped
            .getMessage()
            .contains("gradient for parameter 'v' is float64 but the parameter is float32"),
        stepped.getMessage());
    assertEquals(before, v.value());
    assertEquals(0, optimizer.steps());
  }

  @Test
  void float64StateGoesIntoFloat32ParametersOnlyConvertedExplicitly() {
    Parameter exact = weights("w");
    Optimizer reference = create(List.of(exact));
    for (int i = 0; i < 5; i++) {
      reference.step(gradients(exact));
    }
    OptimizerState state = reference.exportState();
    Parameter single = new Parameter("w", exact.value().to(DType.FLOAT32));
    Optimizer optimizer = create(List.of(single));

    if (state.slots().isEmpty()) {
      optimizer.restoreState(state); // only slots have a dtype, and plain SGD has none
    } else {
      IllegalArgumentException error =
          assertThrows(IllegalArgumentException.class, () -> optimizer.restoreState(state));
      assertTrue(error.getMessage().contains("of parameter 'w' is float64"), error.getMessage());
      assertTrue(error.getMessage().contains("the parameter is float32"), error.getMessage());
      assertEquals(0, optimizer.steps());
    }

    optimizer.restoreState(state.to(DType.FLOAT32));
    for (int i = 0; i < 5; i++) {
      reference.step(gradients(exact));
      optimizer.step(gradients(single));
    }
    assertEquals(DType.FLOAT32, single.dtype());
    assertSlotsAre(DType.FLOAT32, optimizer.exportState());
    assertAgreeToFloat32("w", exact.value(), single.value());
  }

  private static void assertSlotsAre(DType dtype, OptimizerState state) {
    state
        .slots()
        .forEach(
            (parameter, slots) ->
                slots.forEach(
                    (slot, value) -> assertEquals(dtype, value.dtype(), parameter + "." + slot)));
  }

  /** Every element of {@code single} within {@link #FLOAT32_TOLERANCE} of {@code exact}'s. */
  private static void assertAgreeToFloat32(String what, Tensor exact, Tensor single) {
    assertEquals(exact.shape(), single.shape(), what);
    for (int i = 0; i < exact.size(); i++) {
      double expected = exact.getFlat(i);
      double actual = single.getFlat(i);
      assertTrue(
          Math.abs(actual - expected) <= FLOAT32_TOLERANCE * Math.max(1, Math.abs(expected)),
          what + " element " + i + ": float32 " + actual + ", float64 " + expected);
    }
  }

  @Test
  void oneStateRestoredTwiceContinuesIndependentlyInEach() {
    Parameter source = weights("w");
    Optimizer exporter = create(List.of(source));
    for (int i = 0; i < 5; i++) {
      exporter.step(gradients(source));
    }
    OptimizerState state = exporter.exportState();
    Parameter left = new Parameter("w", source.value());
    Parameter right = new Parameter("w", source.value());
    Optimizer leftOptimizer = create(List.of(left));
    Optimizer rightOptimizer = create(List.of(right));
    leftOptimizer.restoreState(state);
    rightOptimizer.restoreState(state);
    for (int i = 0; i < 6; i++) {
      exporter.step(gradients(source));
      leftOptimizer.step(gradients(left));
      rightOptimizer.step(gradients(right));
    }
    assertEquals(source.value(), left.value());
    assertEquals(source.value(), right.value());
    assertEquals(exporter.exportState(), leftOptimizer.exportState());
    assertEquals(exporter.exportState(), rightOptimizer.exportState());
  }

  @Test
  void stateWrittenToASafetensorsFileComesBackBitForBit() throws IOException {
    Parameter w = weights("w");
    Optimizer optimizer = create(List.of(w));
    for (int i = 0; i < 4; i++) {
      optimizer.step(gradients(w));
    }
    OptimizerState state = optimizer.exportState();
    Path file = folder.resolve("state.safetensors");
    Safetensors.write(
        file, OptimizerStateTensors.tensors(state), OptimizerStateTensors.metadata(state));

    Safetensors.Contents contents = Safetensors.readContents(file);
    OptimizerState read =
        OptimizerStateTensors.fromTensors(contents.tensors(), contents.metadata());

    assertEquals(state, read);
    state
        .scalars()
        .forEach((name, value) -> assertEquals(bits(value), bits(read.scalars().get(name)), name));
  }

  private static long bits(double value) {
    return Double.doubleToRawLongBits(value);
  }

  @Test
  void missingGradientIsAnErrorNamingTheParameter() {
    Parameter w = weights("w");
    Parameter forgotten = new Parameter("forgotten", Tensor.zeros(2));
    Optimizer optimizer = create(List.of(w, forgotten));
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> optimizer.step(gradients(w)));
    assertTrue(error.getMessage().contains("'forgotten'"), error.getMessage());
  }

  @Test
  void gradientOfAnotherParameterWithTheSameNameIsMissing() {
    Parameter w = weights("w");
    Parameter impostor = weights("w");
    Optimizer optimizer = create(List.of(w));
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> optimizer.step(gradients(impostor)));
    assertTrue(error.getMessage().contains("no gradient for parameter 'w'"), error.getMessage());
  }

  @Test
  void gradientOfTheWrongShapeIsAnErrorNamingTheParameterAndBothShapes() {
    Parameter w = weights("w");
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class,
            () -> ParameterGradients.builder().put(w, Tensor.zeros(1, 3)));
    assertTrue(error.getMessage().contains("'w'"), error.getMessage());
    assertTrue(error.getMessage().contains("[1, 3]"), error.getMessage());
    assertTrue(error.getMessage().contains("[3]"), error.getMessage());
  }

  @Test
  void nonFiniteGradientIsAnErrorAndNoParameterChanges() {
    Parameter first = weights("first");
    Parameter second = weights("second");
    Optimizer optimizer = create(List.of(first, second));
    ParameterGradients gradients =
        ParameterGradients.builder()
            .put(first, Tensor.vector(1.0, 1.0, 1.0))
            .put(second, Tensor.vector(1.0, Double.NaN, 1.0))
            .build()
            .withLoss(1.0);
    NonFiniteGradientException error =
        assertThrows(NonFiniteGradientException.class, () -> optimizer.step(gradients));
    assertEquals("second", error.parameterName());
    assertEquals(1, error.position());
    assertTrue(error.getMessage().contains("'second'"), error.getMessage());
    assertEquals(weights("x").value(), first.value());
    assertEquals(weights("x").value(), second.value());
    assertEquals(0, optimizer.steps());
  }

  @Test
  void emptyAndOneByOneParametersAreStepped() {
    Parameter empty = new Parameter("empty", Tensor.zeros(Shape.of(0, 3)));
    Parameter single = new Parameter("single", Tensor.full(Shape.of(1, 1), 2.0));
    Optimizer optimizer = create(List.of(empty, single));
    for (int i = 0; i < 3; i++) {
      optimizer.step(
          ParameterGradients.builder()
              .put(empty, Tensor.zeros(Shape.of(0, 3)))
              .put(single, Tensor.full(Shape.of(1, 1), single.value().item()))
              .build()
              .withLoss(0.5 * single.value().item() * single.value().item()));
    }
    assertEquals(Shape.of(0, 3), empty.value().shape());
    assertTrue(Math.abs(single.value().item()) < 2.0, "single is " + single.value());
  }

  @Test
  void gradientsOfOtherParametersAreIgnored() {
    Parameter w = weights("w");
    Parameter bystander = new Parameter("bystander", Tensor.vector(1.0, 2.0));
    Optimizer optimizer = create(List.of(w));
    optimizer.step(
        ParameterGradients.builder()
            .put(w, Problems.quadraticGradient(w, TARGET))
            .put(bystander, Tensor.vector(5.0, 5.0))
            .build()
            .withLoss(1.0));
    assertEquals(Tensor.vector(1.0, 2.0), bystander.value());
    assertNotEquals(weights("x").value(), w.value());
    assertEquals(1, optimizer.steps());
  }
}
