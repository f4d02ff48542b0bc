package dev.rewind.autodiff.check;

import dev.rewind.autodiff.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * The five-point differences of one function g (f, or its gradient) from the same point x along
 * several directions, and the rounding noise of g measured on the way: for each element of g, the
 * fourth difference {@code Δ⁴ = g(x - 2ε) - 4 g(x - ε) + 6 g(x) - 4 g(x + ε) + g(x + 2ε)}, which at
 * such steps is rounding error alone ({@code ε⁴ g⁗} is below 1e-20 |g⁗| for ε <= 1e-5), with a
 * standard deviation of √70 σ for values off by σ at random. At much larger steps Δ⁴ holds {@code
 * ε⁴ g⁗} as well, and ν is looser than it need be, never tighter.
 */
final class Stencil {
  /** The unit roundoff of a double, 2⁻⁵³. */
  private static final double UNIT_ROUNDOFF = 0x1p-53;

  /**
   * ν in units of the noise σ of f's values, over ε. The five-point difference of values off by σ
   * at random is off by {@code √130 / 12 σ / ε ≈ 0.95 σ / ε} (standard deviation), and σ is
   * estimated by the largest of many fourth differences, so 4 leaves a margin of about 2 over four
   * standard deviations.
   */
  private static final double NOISE_MULTIPLE = 4;

  /**
   * The least ν, in units of {@code u F / ε}: the error of the five-point difference, {@code 1.5 δ
   * / ε}, when each value of f is off by δ of at most 1.33 u F. It stands in for σ where too few
   * values vary to estimate it (a function of one variable, a random direction).
   */
  private static final double VALUE_ULPS = 2;

  private final double eps;
  private final List<Tensor> center;
  private double largestValue;
  private double largestFourthDifference;

  /** A stencil of step ε around x, where g takes the values {@code center}. */
  Stencil(double eps, List<Tensor> center) {
    this.eps = eps;
    this.center = center;
    for (Tensor value : center) {
      for (int k = 0; k < value.size(); k++) {
        largestValue = Math.max(largestValue, Math.abs(value.getFlat(k)));
      }
    }
  }

  /**
   * The derivative of g along the direction that {@code at.apply(s)} moves x by s, element by
   * element: {@code (g(x - 2ε) - 8 g(x - ε) + 8 g(x + ε) - g(x + 2ε)) / 12ε}, the Richardson
   * extrapolation {@code (4 D(ε) - D(2ε)) / 3} of the central differences {@code D(s) = (g(x + s) -
   * g(x - s)) / 2s}.
   */
  List<Tensor> derivative(DoubleFunction<List<Tensor>> at) {
    List<Tensor> plus = at.apply(eps);
    List<Tensor> minus = at.apply(-eps);
    List<Tensor> farPlus = at.apply(2 * eps);
    List<Tensor> farMinus = at.apply(-2 * eps);
    List<Tensor> derivatives = new ArrayList<>();
    for (int r = 0; r < center.size(); r++) {
      double[] derivative = new double[center.get(r).size()];
      for (int k = 0; k < derivative.length; k++) {
        double c = center.get(r).getFlat(k);
        double p = plus.get(r).getFlat(k);
        double m = minus.get(r).getFlat(k);
        double farP = farPlus.get(r).getFlat(k);
        double farM = farMinus.get(r).getFlat(k);
        derivative[k] = (8 * (p - m) - (farP - farM)) / (12 * eps);
        double fourth = Math.abs(farM - 4 * m + 6 * c - 4 * p + farP);
        largestFourthDifference = Math.max(largestFourthDifference, fourth);
        largestValue =
            Math.max(
                largestValue,
                Math.max(
                    Math.max(Math.abs(p), Math.abs(m)), Math.max(Math.abs(farP), Math.abs(farM))));
      }
      derivatives.add(Tensor.of(center.get(r).shape(), derivative));
    }
    return derivatives;
  }

  /**
   * ν, the bound of the rounding error of every derivative taken so far: {@code max(4 σ, 2 u F) /
   * ε} for the noise {@code σ = max |Δ⁴| / √70} and the largest magnitude F of g; NaN if a value of
   * g was not finite.
   */
  double resolution() {
    double noise = largestFourthDifference / Math.sqrt(70);
    double bound =
        Math.max(NOISE_MULTIPLE * noise, VALUE_ULPS * UNIT_ROUNDOFF * largestValue) / eps;
    return Double.isFinite(bound) ? bound : Double.NaN;
  }
}
