package dev.rewind.examples;

import dev.rewind.autodiff.io.AtomicWrite;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Line and scatter plots written as PNG files, for learning curves, predictions and norms. */
public final class Plots {
  private static final int WIDTH = 800;
  private static final int HEIGHT = 500;

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
    XYChart chart = chart(title, xLabel, yLabel);
    chart.getStyler().setYAxisLogarithmic(logY);
    for (Series s : series) {
      chart.addSeries(s.name(), s.x(), s.y()).setMarker(SeriesMarkers.NONE);
    }
    save(chart, png);
  }

  /** Points without lines, such as predicted and true labels over time. */
  public static void points(
      Path png, String title, String xLabel, String yLabel, List<Series> series)
      throws IOException {
    XYChart chart = chart(title, xLabel, yLabel);
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    for (Series s : series) {
      chart.addSeries(s.name(), s.x(), s.y());
    }
    save(chart, png);
  }

  private static XYChart chart(String title, String xLabel, String yLabel) {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle(xLabel)
            .yAxisTitle(yLabel)
            .build();
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    return chart;
  }

  /** Writes {@code chart} to {@code png} atomically, as every file a run writes. */
  private static void save(XYChart chart, Path png) throws IOException {
    AtomicWrite.write(
        png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
  }
}
