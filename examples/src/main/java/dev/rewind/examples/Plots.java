package dev.rewind.examples;

import dev.rewind.autodiff.io.AtomicWrite;
import java.awt.Color;
import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler.LegendLayout;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Line and scatter plots written as PNG files, for learning curves, predictions and norms. Every
 * plot has round x ticks (steps of 1, 2 or 5 times a power of ten), whole-number y ticks when the
 * values are a few classes, and its legend below the plot, shown only when there are two series or
 * more.
 */
public final class Plots {
  private static final int WIDTH = 800;
  private static final int HEIGHT = 500;

  /** The height of one legend entry in a legend of one entry a row. */
  private static final int LEGEND_ROW = 20;

  /** Values that are all whole numbers, with at most this many distinct, are classes. */
  static final int MAX_CLASSES = 10;

  private Plots() {}

  /** One named series of points. */
  public record Series(String name, double[] x, double[] y) {

    /** The series {@code (1, y[0]), (2, y[1]), …}: a learning curve over steps. */
    public static Series overSteps(String name, double[] y) {
      double[] x = new double[y.length];
      for (int i = 0; i < x.length; i++) {
        x[i] = i + 1;
      }
      return new Series(name, x, y);
    }
  }

  /** Lines through each series; {@code logY} puts the y axis on a log scale. */
  public static void lines(
      Path png, String title, String xLabel, String yLabel, boolean logY, List<Series> series)
      throws IOException {
    save(lineChart(title, xLabel, yLabel, logY, series), png);
  }

  /** Points without lines, such as predicted and true labels over time. */
  public static void points(
      Path png, String title, String xLabel, String yLabel, List<Series> series)
      throws IOException {
    save(pointChart(title, xLabel, yLabel, series), png);
  }

  static XYChart lineChart(
      String title, String xLabel, String yLabel, boolean logY, List<Series> series) {
    XYChart chart = chart(title, xLabel, yLabel, logY, series);
    for (Series s : series) {
      chart.addSeries(s.name(), s.x(), s.y()).setMarker(SeriesMarkers.NONE);
    }
    roundXTicks(chart, series);
    return chart;
  }

  static XYChart pointChart(String title, String xLabel, String yLabel, List<Series> series) {
    XYChart chart = chart(title, xLabel, yLabel, false, series);
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    for (Series s : series) {
      chart.addSeries(s.name(), s.x(), s.y());
    }
    roundXTicks(chart, series);
    return chart;
  }

  private static XYChart chart(
      String title, String xLabel, String yLabel, boolean logY, List<Series> series) {
    // Beside the plot (XChart's default) a legend takes up to a third of the width; below, none.
    // In one row when it fits the width, else one entry a row, the chart taller by as much.
    boolean oneRow = legendRowWidth(series) <= WIDTH - 20;
    int height = oneRow ? HEIGHT : HEIGHT + LEGEND_ROW * series.size();
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(height)
            .title(title)
            .xAxisTitle(xLabel)
            .yAxisTitle(yLabel)
            .build();
    XYStyler styler = chart.getStyler();
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setLegendPosition(LegendPosition.OutsideS);
    styler.setLegendLayout(oneRow ? LegendLayout.Horizontal : LegendLayout.Vertical);
    styler.setLegendVisible(series.size() > 1);
    styler.setYAxisLogarithmic(logY);
    OptionalInt classes = classCount(series);
    if (classes.isPresent()) {
      // Classes on a continuous axis would be ticked 0.2, 0.4, …: tick whole numbers only.
      styler.setYAxisTickMarkSpacingHint(Math.max(44, (HEIGHT - 150) / (classes.getAsInt() + 1)));
      styler.setyAxisTickLabelsFormattingFunction(Plots::wholeNumberOrNothing);
    } else if (!logY) {
      // XChart's own labels drop a leading zero (".05").
      styler.setyAxisTickLabelsFormattingFunction(Plots::plainDecimal);
    }
    return chart;
  }

  /** The width of a legend of {@code series} in one row: names, line samples and padding. */
  static double legendRowWidth(List<Series> series) {
    Font font = new XYChartBuilder().build().getStyler().getLegendFont();
    FontRenderContext context = new FontRenderContext(null, true, true);
    double width = 0;
    for (Series s : series) {
      width += font.getStringBounds(s.name(), context).getWidth() + 50;
    }
    return width;
  }

  /**
   * The number of classes the y values span (largest minus smallest, plus one) when they are all
   * whole numbers with at most {@link #MAX_CLASSES} distinct values; empty otherwise.
   */
  static OptionalInt classCount(List<Series> series) {
    TreeSet<Double> distinct = new TreeSet<>();
    for (Series s : series) {
      for (double y : s.y()) {
        if (!Double.isFinite(y) || y != Math.rint(y)) {
          return OptionalInt.empty();
        }
        distinct.add(y);
        if (distinct.size() > MAX_CLASSES) {
          return OptionalInt.empty();
        }
      }
    }
    if (distinct.isEmpty()) {
      return OptionalInt.empty();
    }
    return OptionalInt.of((int) (distinct.last() - distinct.first()) + 1);
  }

  /** {@code "0.05"}, {@code "1.5"}, {@code "200"}: a tick value to ten significant digits. */
  static String plainDecimal(double value) {
    if (value == 0 || !Double.isFinite(value)) {
      return value == 0 ? "0" : Double.toString(value);
    }
    return new BigDecimal(value).round(new MathContext(10)).stripTrailingZeros().toPlainString();
  }

  /** {@code "2"} for 2.0, nothing for 1.6: the tick labels of an axis of classes. */
  static String wholeNumberOrNothing(double value) {
    return Math.abs(value - Math.rint(value)) < 1e-9
        ? String.format(Locale.ROOT, "%d", (long) Math.rint(value))
        : "";
  }

  /**
   * Makes XChart tick the x axis at round values. NOTE: when the x values of all series together
   * are equally spaced (a learning curve over steps 1, 2, …), XChart 3.8 puts a tick on every n-th
   * point, n chosen to fit the labels: 1, 59, 118, …. One more point off that grid, drawn as
   * nothing and left out of the legend, turns this off, and XChart ticks at round numbers.
   */
  private static void roundXTicks(XYChart chart, List<Series> series) {
    offGridPoint(series)
        .ifPresent(
            point -> {
              XYSeries hidden =
                  chart.addSeries(" ", new double[] {point[0]}, new double[] {point[1]});
              hidden.setMarker(SeriesMarkers.NONE);
              hidden.setLineStyle(SeriesLines.NONE);
              hidden.setShowInLegend(false);
            });
  }

  /**
   * A point halfway between the first two x values and at the first finite, positive-if-possible y
   * value, so that it changes neither axis's range; empty when the x values are not an equally
   * spaced grid of three or more.
   */
  static Optional<double[]> offGridPoint(List<Series> series) {
    TreeSet<Double> xs = new TreeSet<>();
    double y = Double.NaN;
    for (Series s : series) {
      for (int i = 0; i < s.x().length; i++) {
        xs.add(s.x()[i]);
        double candidate = s.y()[i];
        if (Double.isFinite(candidate) && (Double.isNaN(y) || (y <= 0 && candidate > 0))) {
          y = candidate;
        }
      }
    }
    if (xs.size() < 3 || Double.isNaN(y)) {
      return Optional.empty();
    }
    double first = xs.first();
    double step = xs.higher(first) - first;
    return Optional.of(new double[] {first + step / 2, y});
  }

  /** Writes {@code chart} to {@code png} atomically, as every file a run writes. */
  private static void save(XYChart chart, Path png) throws IOException {
    AtomicWrite.write(
        png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
  }
}
