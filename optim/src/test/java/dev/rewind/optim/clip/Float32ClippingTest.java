package dev.rewind.optim.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.optim.Optimizer;
import dev.rewind.optim.ParameterGradients;
import dev.rewind.optim.Sgd;
import dev.rewind.optim.StepReport;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every clipper on float32 gradients: the clipped gradients stay float32 and agree with clipping
 * the same gradients in float64, and an optimizer clipped by it keeps float32 parameters float32.
 */
class Float32ClippingTest {
  /**
   * How far a float32 result may be from the float64 one, relative to the larger of 1 and the
   * float64 value: about eight units in the last place of a float (2^-23 ≈ 1.2e-7), for a few steps
   * that each round the gradients, the state and the value once.
   */
  private static final double FLOAT32_TOLERANCE = 1e-6;

  static Stream<Arguments> clippers() {
    return Stream.of(
        Arguments.of(new ClipByValue(1.5)),
        Arguments.of(ClipByTensorNorm.l2(1.0)),
        Arguments.of(new ClipByTensorNorm(NormType.MAX, 1.0)),
        Arguments.of(ClipByGlobalNorm.l2(1.0)),
        Arguments.of(new ClipByGlobalNorm(NormType.MAX, 1.0)),
        Arguments.of(new TorchClipGradValue(1.5)),
        Arguments.of(TorchClipGradNorm.l2(1.0)),
        Arguments.of(new TorchClipGradNorm(NormType.MAX, 1.0)));
  }

  /** The same start in either dtype: every element is a float. */
  private static List<Parameter> parameters(DType dtype) {
    return List.of(
        new Parameter("a", Tensor.vector(1.0, -2.0).to(dtype)),
        new Parameter("b", Tensor.scalar(0.5).to(dtype)));
  }

  /** Large, flipping gradients (floats, in the parameters' dtype), so that every clipper acts. */
  private static ParameterGradients gradients(List<Parameter> parameters, int step) {
    double sign = step % 3 == 2 ? -1 : 1;
    DType dtype = parameters.get(0).dtype();
    return ParameterGradients.builder()
        .put(parameters.get(0), Tensor.vector(30.0 * sign, -4.0 + step).to(dtype))
        .put(parameters.get(1), Tensor.scalar(2.0 * sign).to(dtype))
        .build();
  }

  private static Optimizer clipped(List<Parameter> parameters, GradientClipper clipper) {
    return new ClippedOptimizer(
        Sgd.builder(parameters).learningRate(0.1).momentum(0.9).build(),
        clipper,
        NonFinitePolicy.THROW);
  }

  @ParameterizedTest
  @MethodSource("clippers")
  void clippedFloat32GradientsStayFloat32AndAgreeWithFloat64(GradientClipper clipper) {
    List<Parameter> exact = parameters(DType.FLOAT64);
    List<Parameter> single = parameters(DType.FLOAT32);
    for (int step = 0; step < 3; step++) {
      ClipResult expected = clipper.clip(gradients(exact, step));
      ClipResult actual = clipper.clip(gradients(single, step));
      assertEquals(expected.clipped(), actual.clipped(), clipper + " step " + step);
      assertAgree(clipper + " norm", expected.norm(), actual.norm());
      for (int i = 0; i < exact.size(); i++) {
        Tensor clippedExact = expected.gradients().tensor(exact.get(i));
        Tensor clippedSingle = actual.gradients().tensor(single.get(i));
        assertEquals(DType.FLOAT32, clippedSingle.dtype(), clipper + " " + single.get(i));
        assertAgree(clipper + " " + single.get(i).name(), clippedExact, clippedSingle);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("clippers")
  void clippedFloat32RunStaysFloat32AndAgreesWithTheFloat64Run(GradientClipper clipper) {
    List<Parameter> exact = parameters(DType.FLOAT64);
    List<Parameter> single = parameters(DType.FLOAT32);
    Optimizer reference = clipped(exact, clipper);
    Optimizer optimizer = clipped(single, clipper);
    for (int step = 0; step < 6; step++) {
      StepReport expected = reference.step(gradients(exact, step));
      StepReport actual = optimizer.step(gradients(single, step));
      assertAgree(
          clipper + " norm at step " + step, expected.gradientNorm(), actual.gradientNorm());
      for (int i = 0; i < exact.size(); i++) {
        assertEquals(DType.FLOAT32, single.get(i).dtype(), clipper + " " + single.get(i));
        assertAgree(
            clipper + " " + single.get(i).name() + " after step " + step,
            exact.get(i).value(),
            single.get(i).value());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("clippers")
  void gradientOfAnotherDtypeIsRefusedNamingTheParameter(GradientClipper clipper) {
    List<Parameter> parameters = parameters(DType.FLOAT64);
    Optimizer optimizer = clipped(parameters, clipper);
    ParameterGradients float64Gradients = gradients(parameters, 0);
    parameters.get(1).convertTo(DType.FLOAT32);

    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> optimizer.step(float64Gradients));

    assertTrue(
        error
            .getMessage()
            .startsWith(
                "clippedOptimizer: gradient for parameter 'b' is float64 but the parameter is"
                    + " float32"),
        error.getMessage());
    assertEquals(Tensor.vector(1.0, -2.0), parameters.get(0).value());
    assertEquals(0, optimizer.steps());
  }

  private static void assertAgree(String what, Tensor exact, Tensor single) {
    assertEquals(exact.shape(), single.shape(), what);
    for (int i = 0; i < exact.size(); i++) {
      assertAgree(what + " element " + i, exact.getFlat(i), single.getFlat(i));
    }
  }

  private static void assertAgree(String what, double exact, double single) {
    assertTrue(
        Math.abs(single - exact) <= FLOAT32_TOLERANCE * Math.max(1, Math.abs(exact)),
        what + ": float32 " + single + ", float64 " + exact);
  }
}
