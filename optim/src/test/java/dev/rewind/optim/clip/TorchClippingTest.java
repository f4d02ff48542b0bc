package dev.rewind.optim.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.base.Splitter;
import com.google.common.io.Resources;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.optim.ParameterGradients;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link TorchClipGradNorm} and {@link TorchClipGradValue} give PyTorch 1.13's numbers bit for bit.
 * The fixture, clipping.csv, holds the gradients before and after {@code
 * torch.nn.utils.clip_grad_norm_(params, c, norm_type)} or {@code clip_grad_value_(params, c)} and
 * the total norm, as tools/optim-fixtures.py recorded them with PyTorch 1.13.1 on the CPU in
 * float64; this class mirrors its case table, and no Python runs here.
 *
 * <p>Every value is compared exactly: {@code assertEquals} and {@code assertArrayEquals} on doubles
 * compare bits, so 0.0 and −0.0 differ and NaN equals NaN. That holds because the arithmetic is
 * PyTorch's operation for operation: each norm a sum of squares in element order with fused
 * multiply-adds, the total the same norm of the stacked norms, and the coefficient the reciprocal
 * of {@code total + 1e-6} times c.
 */
class TorchClippingTest {
  private static final String FIXTURE = "/dev/rewind/optim/clipping.csv";

  /** The clippers of the fixture script's clipping_cases(), by case name. */
  private static final Map<String, GradientClipper> CASES = new TreeMap<>();

  static {
    CASES.put("norm_l2_below", TorchClipGradNorm.l2(1.0));
    CASES.put("norm_l2_above", TorchClipGradNorm.l2(1.0));
    CASES.put("norm_l2_at_threshold", TorchClipGradNorm.l2(5.0));
    CASES.put("norm_l2_order", TorchClipGradNorm.l2(0.75));
    CASES.put("norm_l2_zero", TorchClipGradNorm.l2(1.0));
    CASES.put("norm_l2_inf", TorchClipGradNorm.l2(1.0));
    CASES.put("norm_l2_nan", TorchClipGradNorm.l2(1.0));
    CASES.put("norm_l2_overflow", TorchClipGradNorm.l2(1.0));
    CASES.put("norm_max_above", new TorchClipGradNorm(NormType.MAX, 2.0));
    CASES.put("norm_max_single", new TorchClipGradNorm(NormType.MAX, 0.75));
    CASES.put("norm_max_inf", new TorchClipGradNorm(NormType.MAX, 1.0));
    CASES.put("norm_max_nan", new TorchClipGradNorm(NormType.MAX, 1.0));
    CASES.put("value_finite", new TorchClipGradValue(0.5));
    CASES.put("value_nonfinite", new TorchClipGradValue(1.0));
  }

  /** One case of the fixture: per parameter, in order, its shape and gradients before and after. */
  private static final class Case {
    final Map<String, List<Integer>> shapes = new LinkedHashMap<>();
    final Map<String, List<Double>> before = new LinkedHashMap<>();
    final Map<String, List<Double>> after = new LinkedHashMap<>();
    Double totalNorm;

    ParameterGradients gradients(Map<String, Parameter> parameters) {
      ParameterGradients.Builder builder = ParameterGradients.builder();
      before.forEach(
          (name, values) -> {
            Shape shape =
                Shape.of(
                    shapes.getOrDefault(name, List.of()).stream()
                        .mapToInt(Integer::intValue)
                        .toArray());
            Parameter parameter = new Parameter(name, Tensor.zeros(shape));
            parameters.put(name, parameter);
            builder.put(parameter, Tensor.of(shape, array(values)));
          });
      return builder.build();
    }
  }

  private static Map<String, Case> fixtures;

  private static synchronized Map<String, Case> fixtures() throws IOException {
    if (fixtures == null) {
      Map<String, Case> cases = new TreeMap<>();
      List<String> lines =
          Resources.readLines(
              Resources.getResource(TorchClippingTest.class, FIXTURE), StandardCharsets.UTF_8);
      for (String line : lines.subList(2, lines.size())) {
        List<String> cells = Splitter.on(',').splitToList(line);
        Case fixture = cases.computeIfAbsent(cells.get(0), name -> new Case());
        String parameter = cells.get(2);
        double value = Double.parseDouble(cells.get(4));
        switch (cells.get(1)) {
          case "shape" ->
              fixture.shapes.computeIfAbsent(parameter, p -> new ArrayList<>()).add((int) value);
          case "gradient" ->
              fixture.before.computeIfAbsent(parameter, p -> new ArrayList<>()).add(value);
          case "clipped" ->
              fixture.after.computeIfAbsent(parameter, p -> new ArrayList<>()).add(value);
          case "total_norm" -> fixture.totalNorm = value;
          default -> throw new IllegalStateException("unknown role in " + line);
        }
      }
      fixtures = cases;
    }
    return fixtures;
  }

  private static double[] array(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  static List<String> cases() {
    return new ArrayList<>(CASES.keySet());
  }

  @Test
  void fixturesHoldExactlyTheCasesMirroredHere() throws IOException {
    assertEquals(CASES.keySet(), fixtures().keySet());
  }

  @ParameterizedTest
  @MethodSource("cases")
  void clippedGradientsAndTotalNormEqualPyTorchsBitForBit(String name) throws IOException {
    Case fixture = fixtures().get(name);
    Map<String, Parameter> parameters = new LinkedHashMap<>();
    ParameterGradients gradients = fixture.gradients(parameters);
    ClipResult result = CASES.get(name).clip(gradients);
    fixture.after.forEach(
        (parameter, expected) ->
            assertArrayEquals(
                array(expected),
                result.gradients().tensor(parameters.get(parameter)).toArray(),
                name + ": gradient of " + parameter));
    if (fixture.totalNorm != null) {
      assertEquals(fixture.totalNorm, result.norm(), name + ": total norm");
    }
  }

  private final Parameter u = new Parameter("U", Tensor.zeros(2));
  private final Parameter v = new Parameter("V", Tensor.zeros(1));

  private ParameterGradients gradients(Tensor forU, Tensor forV) {
    return ParameterGradients.builder().put(u, forU).put(v, forV).build();
  }

  @Test
  void atTheThresholdPyTorchStillShrinksWhereTheExactThresholdDoesNot() {
    ParameterGradients norm5 = gradients(Tensor.vector(3, 4), Tensor.vector(0));
    ClipResult torch = TorchClipGradNorm.l2(5.0).clip(norm5);
    assertTrue(torch.clipped());
    assertEquals(5.0, torch.norm());
    double coefficient = (1 / (5.0 + 1e-6)) * 5.0;
    assertEquals(Tensor.vector(3 * coefficient, 4 * coefficient), torch.gradients().tensor(u));
    ClipResult exact = ClipByGlobalNorm.l2(5.0).clip(norm5);
    assertFalse(exact.clipped());
    assertSame(norm5.tensor(u), exact.gradients().tensor(u));
  }

  @Test
  void clippedGradientsEndJustUnderTheMaximumNotAtIt() {
    ClipResult torch =
        TorchClipGradNorm.l2(1.0).clip(gradients(Tensor.vector(3, 4), Tensor.vector(0)));
    double after = TorchClipGradNorm.l2(1.0).clip(torch.gradients()).norm();
    assertTrue(after < 1.0 && after > 1.0 - 1e-6, "norm after clipping " + after);
  }

  @Test
  void wellUnderTheThresholdTheSameTensorsComeBack() {
    ParameterGradients norm5 = gradients(Tensor.vector(3, -4), Tensor.vector(-0.0));
    ClipResult result = TorchClipGradNorm.l2(5.00001).clip(norm5);
    assertFalse(result.clipped());
    assertSame(norm5.tensor(u), result.gradients().tensor(u));
    assertSame(norm5.tensor(v), result.gradients().tensor(v));
  }

  @Test
  void zeroGradientsAreLeftAlone() {
    ParameterGradients zero = gradients(Tensor.vector(0, 0), Tensor.vector(0));
    ClipResult result = TorchClipGradNorm.l2(1e-3).clip(zero);
    assertEquals(0.0, result.norm());
    assertFalse(result.clipped());
    assertSame(zero.tensor(u), result.gradients().tensor(u));
  }

  @Test
  void coefficientIsTheReciprocalTimesMaxNormNotOneDivision() {
    // PyTorch evaluates max_norm / (total_norm + 1e-6), a float over a tensor, as
    // Tensor.__rtruediv__: the reciprocal, then a product. For a norm of 0.7 and c = 0.1 that is
    // 0.14285693877580175, where one division gives 0.14285693877580177.
    double total = 0.7;
    double reciprocal = (1 / (total + 1e-6)) * 0.1;
    assertTrue(reciprocal != 0.1 / (total + 1e-6), "inputs where the two differ");
    ClipResult result =
        TorchClipGradNorm.l2(0.1).clip(gradients(Tensor.vector(0.7, 0), Tensor.vector(0)));
    assertEquals(total, result.norm());
    assertEquals(0.7 * reciprocal, result.gradients().tensor(u).getFlat(0));
  }

  @Test
  void valueClippingMatchesTheExactClipperOnFiniteGradients() {
    ParameterGradients finite = gradients(Tensor.vector(3, -0.5), Tensor.vector(-7));
    ClipResult torch = new TorchClipGradValue(1.0).clip(finite);
    ClipResult exact = new ClipByValue(1.0).clip(finite);
    assertEquals(exact.norm(), torch.norm());
    assertEquals(exact.clipped(), torch.clipped());
    assertEquals(exact.gradients().tensor(u), torch.gradients().tensor(u));
    assertEquals(exact.gradients().tensor(v), torch.gradients().tensor(v));
  }

  @Test
  void exactClippersRefuseWhatTorchClippersAccept() {
    ParameterGradients infinite =
        gradients(Tensor.vector(1, Double.POSITIVE_INFINITY), Tensor.vector(0));
    assertTrue(new TorchClipGradValue(1).acceptsNonFinite());
    assertTrue(TorchClipGradNorm.l2(1).acceptsNonFinite());
    assertEquals(
        Tensor.vector(1, 1), new TorchClipGradValue(1).clip(infinite).gradients().tensor(u));
    assertFalse(new ClipByValue(1).acceptsNonFinite());
    assertFalse(ClipByGlobalNorm.l2(1).acceptsNonFinite());
    assertFalse(ClipByTensorNorm.l2(1).acceptsNonFinite());
  }

  @Test
  void thresholdsMustBePositiveAndFiniteAndTheErrorSaysSo() {
    assertMessage(
        () -> TorchClipGradNorm.l2(0),
        "torchClipGradNorm: maxNorm 0.0 must be positive and finite");
    assertMessage(
        () -> new TorchClipGradNorm(NormType.MAX, Double.POSITIVE_INFINITY),
        "torchClipGradNorm: maxNorm Infinity must be positive and finite");
    assertMessage(
        () -> new TorchClipGradValue(-1),
        "torchClipGradValue: limit -1.0 must be positive and finite");
  }

  private static void assertMessage(Supplier<?> construction, String expected) {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, construction::get);
    assertEquals(expected, error.getMessage());
  }
}
