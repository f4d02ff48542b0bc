package dev.rewind.optim.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.base.Splitter;
import com.google.common.io.Resources;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ScheduleTest {
  private static final double EXACT = 1e-15;

  @Test
  void stepDecayHalvesTheRateEveryStepSizeSteps() {
    StepDecay schedule = new StepDecay(0.1, 3, 0.5);
    double[] expected = {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025};
    for (int t = 0; t < expected.length; t++) {
      assertEquals(expected[t], schedule.rate(t), EXACT, "step " + t);
    }
  }

  @Test
  void exponentialDecayMultipliesEveryStep() {
    ExponentialDecay schedule = new ExponentialDecay(2.0, 0.5);
    assertEquals(2.0, schedule.rate(0), EXACT);
    assertEquals(1.0, schedule.rate(1), EXACT);
    assertEquals(0.25, schedule.rate(3), EXACT);
  }

  @Test
  void cosineAnnealingFallsFromInitialToMinimumOverThePeriodAndRisesAfter() {
    CosineAnnealing schedule = new CosineAnnealing(1.0, 0.2, 4);
    assertEquals(1.0, schedule.rate(0), EXACT);
    assertEquals(0.6, schedule.rate(2), EXACT);
    assertEquals(0.2, schedule.rate(4), EXACT);
    assertEquals(0.6, schedule.rate(6), EXACT);
    assertEquals(1.0, schedule.rate(8), EXACT);
    for (int t = 0; t < 4; t++) {
      assertTrue(schedule.rate(t + 1) < schedule.rate(t), "falls at step " + t);
    }
  }

  @Test
  void constantRateIsTheSameAtEveryStep() {
    LearningRateSchedule schedule = LearningRateSchedule.constant(0.3);
    assertEquals(0.3, schedule.rate(0));
    assertEquals(0.3, schedule.rate(1_000_000));
  }

  @Test
  void ratesMatchPyTorchSchedulersTo1e12() throws IOException {
    Map<String, LearningRateSchedule> schedules =
        Map.of(
            "step", new StepDecay(0.1, 7, 0.5),
            "exponential", new ExponentialDecay(0.1, 0.9),
            "cosine", new CosineAnnealing(0.1, 0.001, 10));
    URL fixture = Resources.getResource(ScheduleTest.class, "/dev/rewind/optim/schedules.csv");
    int compared = 0;
    for (String line : Resources.readLines(fixture, StandardCharsets.UTF_8)) {
      if (line.startsWith("#") || line.startsWith("schedule,")) {
        continue;
      }
      List<String> cells = Splitter.on(',').splitToList(line);
      double expected = Double.parseDouble(cells.get(2));
      double actual = schedules.get(cells.get(0)).rate(Long.parseLong(cells.get(1)));
      assertEquals(expected, actual, 1e-12 * expected, line);
      compared++;
    }
    assertEquals(90, compared);
  }

  @Test
  void badHyperparametersAreErrorsNamingTheValue() {
    assertMessage(() -> new StepDecay(-0.1, 3, 0.5), "initialRate -0.1");
    assertMessage(() -> new StepDecay(0.1, 0, 0.5), "stepSize 0");
    assertMessage(() -> new StepDecay(0.1, 3, 1.5), "gamma 1.5");
    assertMessage(() -> new ExponentialDecay(0.1, 0.0), "gamma 0.0");
    assertMessage(() -> new CosineAnnealing(0.1, 0.2, 10), "minimumRate 0.2");
    assertMessage(() -> new CosineAnnealing(0.1, 0.0, 0), "period 0");
    assertMessage(() -> LearningRateSchedule.constant(0.0), "initialRate 0.0");
    assertMessage(() -> new ExponentialDecay(0.1, 0.5).rate(-1), "step -1");
  }

  private static void assertMessage(Supplier<?> construction, String expected) {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, construction::get);
    assertTrue(error.getMessage().contains(expected), error.getMessage());
  }
}
