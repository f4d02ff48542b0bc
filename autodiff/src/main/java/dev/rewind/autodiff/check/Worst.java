package dev.rewind.autodiff.check;

import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;

/** Tracks the worst comparison so far; a NaN error is the worst of all. */
final class Worst {
  private final String what;
  private final double tolerance;
  private final List<String> inputNames;
  private double error;
  private String row = "";
  private int input;
  private int[] index = new int[0];
  private double expected;
  private double actual;
  private double resolution;
  private int comparisons;

  Worst(String what, double tolerance, List<String> inputNames) {
    this.what = what;
    this.tolerance = tolerance;
    this.inputNames = inputNames;
  }

  void offer(
      double tape,
      double reference,
      double bound,
      int inputIndex,
      Tensor of,
      int flat,
      String where) {
    comparisons++;
    double e = GradCheckResult.error(tape, reference, bound, tolerance);
    boolean worse = comparisons == 1 || e > error || (Double.isNaN(e) && !Double.isNaN(error));
    if (worse) {
      error = e;
      row = where;
      input = inputIndex;
      index = Points.unflatten(of.shape(), flat);
      expected = reference;
      actual = tape;
      resolution = bound;
    }
  }

  GradCheckResult result() {
    String name = inputNames.isEmpty() ? "" : inputNames.get(input);
    return new GradCheckResult(
        what, row, error, tolerance, input, name, index, expected, actual, resolution, comparisons);
  }
}
