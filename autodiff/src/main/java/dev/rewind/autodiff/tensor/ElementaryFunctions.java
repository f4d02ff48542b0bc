package dev.rewind.autodiff.tensor;

/**
 * Scalar functions the kernels call once per element, where the JDK's own is slow. {@code
 * Math.tanh} is not an intrinsic on JDK 17: it costs about 44 ns, five times {@code Math.exp}, and
 * an LSTM step calls it twice per unit.
 */
public final class ElementaryFunctions {
  // Cody and Waite, "Software Manual for the Elementary Functions" (1980), chapter 13: tanh on
  // [0, ln(3)/2] as f + f g P(g) / Q(g), g = f², for 53-bit precision.
  private static final double P0 = -0.16134119023996228053e+4;
  private static final double P1 = -0.99225929672236083313e+2;
  private static final double P2 = -0.96437492777225469787e+0;
  private static final double Q0 = +0.48402357071988688686e+4;
  private static final double Q1 = +0.22337720718962312926e+4;
  private static final double Q2 = +0.11274474380534949335e+3;

  /** ln(3) / 2: above it, 1 − 2 / (e^{2f} + 1) loses no relative precision. */
  private static final double RATIONAL_LIMIT = 0.54930614433405484570;

  /** Above this, tanh rounds to 1 in double precision. */
  private static final double SATURATION = 22.0;

  private ElementaryFunctions() {}

  /**
   * The hyperbolic tangent, within two units in the last place of {@link StrictMath#tanh} (the
   * tests hold it to 5e-16 relative), about two and a half times faster than {@link Math#tanh}; odd
   * (so {@code -0.0} stays {@code -0.0}), exactly ±1 beyond ±22, NaN for NaN.
   */
  public static double tanh(double x) {
    double f = Math.abs(x);
    double r;
    if (f > SATURATION) {
      r = 1.0;
    } else if (f > RATIONAL_LIMIT) {
      r = 1.0 - 2.0 / (Math.exp(f + f) + 1.0);
    } else {
      double g = f * f;
      r = f + f * ((((P2 * g + P1) * g + P0) * g) / (((g + Q2) * g + Q1) * g + Q0));
    }
    return Math.copySign(r, x);
  }
}
