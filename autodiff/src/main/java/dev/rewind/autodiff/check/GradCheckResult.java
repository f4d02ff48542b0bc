package dev.rewind.autodiff.check;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.util.Arrays;
import java.util.Locale;

/**
 * The outcome of a {@link GradCheck}: the worst element found, where it is, and both values.
 *
 * @param what what was compared, such as {@code "first-order"} or {@code "hand-derived"}
 * @param row which derivative the worst element belongs to: an output element for a Jacobian
 *     ({@code "output [1, 2]"}), a gradient element for a Hessian, empty for a scalar
 * @param worstError the largest error {@code |a - n| / max(1e-8, |a| + |n| + ν / tolerance)} seen
 *     (see {@link #error})
 * @param tolerance the largest error the check accepts
 * @param input which input the worst element belongs to (0 for a random-direction check)
 * @param inputName that input's name, for a check over named inputs or parameters; empty otherwise
 * @param index the worst element's coordinates in that input (empty for a random-direction check)
 * @param expected the reference value there: finite differences, or the hand-derived gradient
 * @param actual the tape's value there
 * @param resolution ν there: the bound of the finite differences' rounding error (0 for a
 *     hand-derived check)
 * @param comparisons how many elements (or directions) were compared
 */
public record GradCheckResult(
    String what,
    String row,
    double worstError,
    double tolerance,
    int input,
    String inputName,
    int[] index,
    double expected,
    double actual,
    double resolution,
    int comparisons) {

  /** A result over inputs known by position, with no names. */
  public GradCheckResult(
      String what,
      String row,
      double worstError,
      double tolerance,
      int input,
      int[] index,
      double expected,
      double actual,
      double resolution,
      int comparisons) {
    this(
        what,
        row,
        worstError,
        tolerance,
        input,
        "",
        index,
        expected,
        actual,
        resolution,
        comparisons);
  }

  /** Whether every element was within tolerance; NaN anywhere fails. */
  public boolean passed() {
    return worstError <= tolerance;
  }

  /**
   * Returns this result if it passed.
   *
   * @throws AssertionError describing the worst element otherwise
   */
  @CanIgnoreReturnValue
  public GradCheckResult orThrow() {
    if (!passed()) {
      throw new AssertionError(toString());
    }
    return this;
  }

  /** The relative error of two values, {@code |a - n| / max(1e-8, |a| + |n|)}. */
  public static double relativeError(double actual, double expected) {
    return error(actual, expected, 0, 1);
  }

  /**
   * The error of the tape's value {@code a} against a reference {@code n} known to within {@code
   * resolution} (ν), as a check of {@code tolerance} measures it: {@code |a - n| / max(1e-8, |a| +
   * |n| + ν / tolerance)}. It is at most the tolerance exactly when {@code |a - n| <= tolerance
   * (|a| + |n|) + ν} (above the floor of 1e-8): a relative error where the reference resolves the
   * value, an absolute one of ν where it does not. NaN if any of the values is.
   */
  public static double error(double actual, double expected, double resolution, double tolerance) {
    return Math.abs(actual - expected)
        / Math.max(1e-8, Math.abs(actual) + Math.abs(expected) + resolution / tolerance);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "%s gradient check %s: worst relative error %.3g (tolerance %.3g) at input %s %s%s:"
            + " tape %.17g vs %s %.17g%s, over %d comparisons",
        what,
        passed() ? "passed" : "FAILED",
        worstError,
        tolerance,
        inputName.isEmpty() ? String.valueOf(input) : "'" + inputName + "'",
        Arrays.toString(index),
        row.isEmpty() ? "" : " of " + row,
        actual,
        what.equals("hand-derived") ? "hand-derived" : "numeric",
        expected,
        resolution == 0 ? "" : String.format(Locale.ROOT, " ± %.3g", resolution),
        comparisons);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GradCheckResult other
        && what.equals(other.what)
        && row.equals(other.row)
        && Double.compare(worstError, other.worstError) == 0
        && Double.compare(tolerance, other.tolerance) == 0
        && input == other.input
        && inputName.equals(other.inputName)
        && Arrays.equals(index, other.index)
        && Double.compare(expected, other.expected) == 0
        && Double.compare(actual, other.actual) == 0
        && Double.compare(resolution, other.resolution) == 0
        && comparisons == other.comparisons;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(index) * 31 + Double.hashCode(worstError);
  }
}
