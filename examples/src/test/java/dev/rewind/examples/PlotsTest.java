package dev.rewind.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Axis;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler.LegendLayout;
import org.knowm.xchart.style.Styler.LegendPosition;

class PlotsTest {

  @BeforeAll
  static void headless() {
    System.setProperty("java.awt.headless", "true");
  }

  @Test
  void aLearningCurveOverStepsIsTickedAtRoundSteps() throws Exception {
    for (int steps : new int[] {64, 300, 1_000, 1_180, 5_000}) {
      double[] loss = new double[steps];
      for (int i = 0; i < steps; i++) {
        loss[i] = 1.0 / (1 + i);
      }
      XYChart chart =
          Plots.lineChart(
              "t", "step", "loss", false, List.of(Plots.Series.overSteps("loss", loss)));

      List<Double> ticks = numbers(tickLabels(chart, true));
      assertTrue(ticks.size() >= 3, () -> steps + " steps: " + ticks);
      double step = ticks.get(1) - ticks.get(0);
      assertTrue(isOneTwoOrFiveTimesAPowerOfTen(step), () -> steps + " steps: " + ticks);
      for (int i = 1; i < ticks.size(); i++) {
        assertEquals(step, ticks.get(i) - ticks.get(i - 1), 1e-9, () -> "" + ticks);
        assertEquals(0, ticks.get(i) % step, 1e-9, () -> "" + ticks);
      }
    }
  }

  @Test
  void classesOnTheYAxisAreTickedAtWholeNumbersOnly() throws Exception {
    double[] labels = {0, 2, 1, 1, 2, 0, 2, 1, 0, 0, 2, 2};
    XYChart chart =
        Plots.pointChart(
            "t",
            "time step",
            "label",
            List.of(
                Plots.Series.overSteps("true label", labels),
                Plots.Series.overSteps("predicted label", labels)));

    // The calculator also labels ticks just outside the plot, which are not drawn.
    List<String> shown = new ArrayList<>(tickLabels(chart, false));
    shown.removeIf(String::isEmpty);
    assertTrue(shown.containsAll(List.of("0", "1", "2")), () -> "" + shown);
    List<Double> values = numbers(shown);
    for (int i = 1; i < values.size(); i++) {
      assertEquals(1, values.get(i) - values.get(i - 1), () -> "" + shown);
    }
  }

  @Test
  void classesAreAFewWholeNumbers() {
    assertEquals(
        OptionalInt.of(3),
        Plots.classCount(List.of(Plots.Series.overSteps("c", new double[] {0, 2, 1}))));
    assertEquals(
        OptionalInt.empty(),
        Plots.classCount(List.of(Plots.Series.overSteps("loss", new double[] {0.5, 1}))));
    double[] many = new double[20];
    for (int i = 0; i < many.length; i++) {
      many[i] = i;
    }
    assertEquals(OptionalInt.empty(), Plots.classCount(List.of(Plots.Series.overSteps("n", many))));
    assertEquals("2", Plots.wholeNumberOrNothing(2.0000000000001));
    assertEquals("", Plots.wholeNumberOrNothing(1.6));
  }

  @Test
  void theLegendIsBelowThePlotAndOnlyForTwoSeriesOrMore() {
    double[] y = {3, 2, 1};
    XYChart two =
        Plots.lineChart(
            "t",
            "x",
            "y",
            false,
            List.of(Plots.Series.overSteps("a", y), Plots.Series.overSteps("b", y)));
    XYChart one = Plots.lineChart("t", "x", "y", false, List.of(Plots.Series.overSteps("a", y)));

    assertEquals(LegendPosition.OutsideS, two.getStyler().getLegendPosition());
    assertTrue(two.getStyler().isLegendVisible());
    assertFalse(one.getStyler().isLegendVisible());
    two.getSeriesMap().values().stream()
        .filter(s -> !s.getName().equals("a") && !s.getName().equals("b"))
        .forEach(s -> assertFalse(s.isShowInLegend(), s.getName()));
  }

  @Test
  void aLinearYAxisIsLabelledWithPlainDecimals() throws Exception {
    double[] error = {0.004, 0.0, 0.39, 0.15, 0.11, 0.49, 0.5, 0.08, 0.52, 0.53};
    XYChart chart =
        Plots.lineChart("t", "x", "y", false, List.of(Plots.Series.overSteps("error", error)));

    List<String> labels = tickLabels(chart, false);
    assertTrue(labels.contains("0.05") || labels.contains("0.1"), () -> "" + labels);
    labels.forEach(label -> assertFalse(label.startsWith("."), () -> "" + labels));
    assertEquals("0.05", Plots.plainDecimal(0.05000000000000001));
    assertEquals("200", Plots.plainDecimal(200));
    assertEquals("0", Plots.plainDecimal(-0.0));
  }

  @Test
  void aLegendTooWideForOneRowHasOneEntryARow() {
    List<Plots.Series> five = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      five.add(Plots.Series.overSteps("a long name for series number " + i, new double[] {1, 2}));
    }
    XYChart chart = Plots.lineChart("t", "x", "y", false, five);

    assertTrue(Plots.legendRowWidth(five) > 800);
    assertEquals(LegendLayout.Vertical, chart.getStyler().getLegendLayout());
    assertTrue(chart.getHeight() > 500, "taller by the legend's rows");
  }

  private static boolean isOneTwoOrFiveTimesAPowerOfTen(double step) {
    double power = Math.pow(10, Math.floor(Math.log10(step) + 1e-9));
    double mantissa = step / power;
    return Math.abs(mantissa - 1) < 1e-9
        || Math.abs(mantissa - 2) < 1e-9
        || Math.abs(mantissa - 5) < 1e-9;
  }

  private static List<Double> numbers(List<String> labels) {
    return labels.stream().map(label -> Double.parseDouble(label.replace(",", ""))).toList();
  }

  /** The tick labels XChart draws on the x or y axis, read after painting the chart. */
  private static List<String> tickLabels(XYChart chart, boolean xAxis) throws Exception {
    BitmapEncoder.getBufferedImage(chart);
    Method axisPair = Chart.class.getDeclaredMethod("getAxisPair");
    axisPair.setAccessible(true);
    Object pair = axisPair.invoke(chart);
    Method getAxis = pair.getClass().getDeclaredMethod(xAxis ? "getXAxis" : "getLeftMainYAxis");
    getAxis.setAccessible(true);
    Axis<?, ?> axis = (Axis<?, ?>) getAxis.invoke(pair);
    return axis.getAxisTickCalculator().getTickLabels();
  }
}
