package dev.rewind.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.base.Splitter;
import com.google.common.io.Resources;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.optim.schedule.CosineAnnealing;
import dev.rewind.optim.schedule.ExponentialDecay;
import dev.rewind.optim.schedule.StepDecay;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SGD, Adam, AdamW and iRprop− follow PyTorch 1.13's trajectories to 1e-12 over 30 steps on the
 * loss of {@link Problems#fixtureLoss}. The fixtures were written by tools/optim-fixtures.py, whose
 * case table this class mirrors; no Python runs here.
 */
class PyTorchTrajectoryTest {
  private static final double TOLERANCE = 1e-12;
  private static final int STEPS = 30;
  private static final String[] PARAMETERS = {"x", "W", "b"};

  /** The optimizers of the fixture script's CASES table, by case name. */
  private static final Map<String, Function<List<Parameter>, Optimizer>> CASES = new TreeMap<>();

  static {
    CASES.put("sgd", p -> Sgd.builder(p).learningRate(1e-3).build());
    CASES.put("sgd_momentum", p -> Sgd.builder(p).learningRate(5e-4).momentum(0.9).build());
    CASES.put(
        "sgd_nesterov_weight_decay",
        p -> Sgd.builder(p).learningRate(5e-4).momentum(0.9).nesterov().weightDecay(0.01).build());
    CASES.put(
        "sgd_dampening_weight_decay",
        p ->
            Sgd.builder(p)
                .learningRate(5e-4)
                .momentum(0.8)
                .dampening(0.3)
                .weightDecay(0.05)
                .build());
    CASES.put(
        "sgd_step_lr",
        p -> Sgd.builder(p).learningRate(new StepDecay(1e-3, 7, 0.5)).momentum(0.5).build());
    CASES.put(
        "sgd_exponential_lr",
        p -> Sgd.builder(p).learningRate(new ExponentialDecay(1e-3, 0.9)).build());
    CASES.put("adam", p -> Adam.builder(p).learningRate(0.01).build());
    CASES.put(
        "adam_weight_decay",
        p ->
            Adam.builder(p)
                .learningRate(0.02)
                .betas(0.8, 0.99)
                .epsilon(1e-6)
                .weightDecay(0.1)
                .build());
    CASES.put(
        "adam_cosine_lr",
        p -> Adam.builder(p).learningRate(new CosineAnnealing(0.05, 0.001, 30)).build());
    CASES.put("adamw", p -> AdamW.builder(p).learningRate(0.01).weightDecay(0.1).build());
    CASES.put("rprop", p -> Rprop.builder(RpropVariant.IRPROP_MINUS, p).initialStep(0.01).build());
    CASES.put(
        "rprop_note003",
        p ->
            Rprop.builder(RpropVariant.IRPROP_MINUS, p)
                .initialStep(0.001)
                .etaMinus(0.4)
                .etaPlus(1.3)
                .stepBounds(1e-4, 0.5)
                .build());
  }

  /** case → step → parameter → values, read from trajectories.csv. */
  private static Map<String, Map<Integer, Map<String, double[]>>> fixtures;

  private static synchronized Map<String, Map<Integer, Map<String, double[]>>> fixtures()
      throws IOException {
    if (fixtures == null) {
      Map<String, Map<Integer, Map<String, List<Double>>>> rows = new TreeMap<>();
      for (String line : lines("trajectories.csv")) {
        List<String> cells = Splitter.on(',').splitToList(line);
        rows.computeIfAbsent(cells.get(0), c -> new TreeMap<>())
            .computeIfAbsent(Integer.parseInt(cells.get(1)), s -> new TreeMap<>())
            .computeIfAbsent(cells.get(2), p -> new ArrayList<>())
            .add(Double.parseDouble(cells.get(4)));
      }
      Map<String, Map<Integer, Map<String, double[]>>> parsed = new TreeMap<>();
      rows.forEach(
          (name, steps) ->
              steps.forEach(
                  (step, parameters) ->
                      parameters.forEach(
                          (parameter, values) ->
                              parsed
                                  .computeIfAbsent(name, c -> new TreeMap<>())
                                  .computeIfAbsent(step, s -> new TreeMap<>())
                                  .put(
                                      parameter,
                                      values.stream()
                                          .mapToDouble(Double::doubleValue)
                                          .toArray()))));
      fixtures = parsed;
    }
    return fixtures;
  }

  /** The data lines of a fixture: without the comment and the header. */
  static List<String> lines(String resource) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String line :
        Resources.readLines(
            Resources.getResource(PyTorchTrajectoryTest.class, resource), StandardCharsets.UTF_8)) {
      if (!line.startsWith("#") && !line.isBlank()) {
        lines.add(line);
      }
    }
    return lines.subList(1, lines.size());
  }

  static List<String> cases() {
    return new ArrayList<>(CASES.keySet());
  }

  @Test
  void fixturesHoldExactlyTheCasesMirroredHere() throws IOException {
    assertEquals(new TreeSet<>(CASES.keySet()), new TreeSet<>(fixtures().keySet()));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void trajectoryMatchesPyTorchOver30Steps(String name) throws IOException {
    Map<Integer, Map<String, double[]>> expected = fixtures().get(name);
    Parameter x = new Parameter("x", Problems.FIXTURE_X0);
    Parameter w = new Parameter("W", Problems.FIXTURE_W0);
    Parameter b = new Parameter("b", Problems.FIXTURE_B0);
    List<Parameter> parameters = List.of(x, w, b);
    Optimizer optimizer = CASES.get(name).apply(parameters);
    double worst = compare(expected.get(0), parameters, 0, name);
    assertEquals(0.0, worst, "step 0 must be the same fixed initial values");
    for (int step = 1; step <= STEPS; step++) {
      double unused = Problems.step(optimizer, () -> Problems.fixtureLoss(x, w, b));
      worst = Math.max(worst, compare(expected.get(step), parameters, step, name));
    }
    System.out.printf("%-28s max |rewind - pytorch| over %d steps: %.3g%n", name, STEPS, worst);
  }

  /** The largest difference at this step, after asserting every element is within tolerance. */
  private static double compare(
      Map<String, double[]> expected, List<Parameter> parameters, int step, String name) {
    double worst = 0;
    for (int p = 0; p < PARAMETERS.length; p++) {
      double[] want = expected.get(PARAMETERS[p]);
      Tensor have = parameters.get(p).value();
      assertEquals(want.length, have.size(), name + ": size of " + PARAMETERS[p]);
      for (int i = 0; i < want.length; i++) {
        double difference = Math.abs(have.getFlat(i) - want[i]);
        assertTrue(
            difference <= TOLERANCE,
            String.format(
                "%s: step %d, %s[%d] is %s but PyTorch has %s (difference %.3g)",
                name, step, PARAMETERS[p], i, have.getFlat(i), want[i], difference));
        worst = Math.max(worst, difference);
      }
    }
    return worst;
  }
}
