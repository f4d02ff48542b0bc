package dev.rewind.autodiff.internal;

import com.google.errorprone.annotations.CanIgnoreReturnValue;

/**
 * The exponential, tanh and the logistic function, where the JDK's own are slow or missing. {@code
 * Math.tanh} is not an intrinsic on JDK 17: it costs about 44 ns, five times {@code Math.exp}, and
 * an LSTM step calls it twice per unit. Every kernel calls these same functions, so that a fused
 * kernel and the element-wise ops it replaces agree to the bit.
 *
 * <p>Each comes twice: for one element, and for a range of an array, which gives the same numbers
 * faster (measured: exp 2.4 to 3.7 times Math.exp's speed, tanh and sigmoid 1.5 times their scalar
 * forms'). {@code Math.exp} is a call into a stub that C2 cannot vectorise; here the exponential is
 * a polynomial that it can, in a loop of its own, and only the scaling by {@code 2^k}, which needs
 * the bits of a double, runs one element at a time.
 *
 * <p>These are the float64 forms; {@link ElementaryFunctions32} has the float32 ones, which the
 * generated float32 kernels call, and shares the helpers here that are not private.
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

  /** The double after {@link #RATIONAL_LIMIT}: at and above it, the exponential form. */
  static final double RATIONAL_LIMIT_UP = Math.nextUp(RATIONAL_LIMIT);

  /** Above this, tanh rounds to 1 in double precision. */
  private static final double SATURATION = 22.0;

  // e^x = 2^k e^r, k = round(x / ln 2), r = x − k ln 2 in [−ln(2)/2, ln(2)/2], with ln 2 split in
  // two (Cody and Waite) so that k ln 2 is exact to 106 bits, and e^r from its Taylor polynomial of
  // degree 13, whose remainder is below 2^−58 there: within one ulp of StrictMath.exp.
  private static final double LOG2_E = 0x1.71547652b82fep0;
  private static final double LN2_HIGH = 0x1.62e42fefa3800p-1;
  private static final double LN2_LOW = 0x1.ef35793c7673p-45;

  /** Adding this rounds to an integer, held in the low bits of the sum's significand. */
  private static final double ROUNDING_SHIFT = 0x1.8p52;

  /** Outside [EXP_MIN, EXP_MAX], or for NaN, e^x is left to Math.exp: overflow and subnormals. */
  private static final double EXP_MIN = -708.0;

  private static final double EXP_MAX = 709.0;

  private ElementaryFunctions() {}

  /** {@code e^x} within one ulp of {@link StrictMath#exp}: ∞ above 709.78, 0 below −745.13. */
  static double exp(double x) {
    return finished(reduced(x), x);
  }

  /**
   * {@code out[i] = exp(x[i] − shift)} for {@code i} in {@code [from, to)}, the numbers of {@link
   * #exp(double)}; {@code x} and {@code out} are different arrays. The shift is the maximum that a
   * softmax subtracts, or 0.
   */
  public static void exp(double[] x, double shift, double[] out, int from, int to) {
    expAndSum(x, shift, out, from, to);
  }

  /**
   * {@link #exp(double[], double, double[], int, int)}, returning the sum of the exponentials,
   * added in order of {@code i}: a softmax's denominator.
   */
  @CanIgnoreReturnValue
  static double expAndSum(double[] x, double shift, double[] out, int from, int to) {
    for (int i = from; i < to; i++) {
      out[i] = reduced(x[i] - shift);
    }
    return finishedAndSummed(x, shift, out, from, to);
  }

  /** The second, scalar pass of the exponentials of a range, returning their sum. */
  static double finishedAndSummed(double[] x, double shift, double[] out, int from, int to) {
    // NOTE: the sum rides on the scalar pass, which waits on the bits of each double anyway; as a
    // pass of its own, one chain of dependent additions, it cost a softmax row a fifth of its time
    // (rows of 65, 5.4 against 4.4 ns per element).
    double total = 0;
    for (int i = from; i < to; i++) {
      out[i] = finished(out[i], x[i] - shift);
      total += out[i];
    }
    return total;
  }

  /** {@code e^v}, given {@code reduced(v)}: the scalar second half of every exponential. */
  static double finished(double expReduced, double v) {
    return v >= EXP_MIN && v <= EXP_MAX ? scaled(expReduced, v) : Math.exp(v);
  }

  /** {@code r = x − k ln 2} in {@code [−ln(2)/2, ln(2)/2]}, {@code k = round(x / ln 2)}. */
  static double reducedArgument(double x) {
    double k = (x * LOG2_E + ROUNDING_SHIFT) - ROUNDING_SHIFT;
    return Math.fma(-k, LN2_LOW, Math.fma(-k, LN2_HIGH, x));
  }

  /** {@code e^r} for the reduced argument {@code r = x − k ln 2}. */
  private static double reduced(double x) {
    double r = reducedArgument(x);
    // NOTE: written out, not a loop over a table of coefficients: a loop inside the loop over the
    // elements would keep C2 from turning the outer one into SIMD code.
    double p = Math.fma(1.0 / 6227020800.0, r, 1.0 / 479001600.0);
    p = Math.fma(p, r, 1.0 / 39916800.0);
    p = Math.fma(p, r, 1.0 / 3628800.0);
    p = Math.fma(p, r, 1.0 / 362880.0);
    p = Math.fma(p, r, 1.0 / 40320.0);
    p = Math.fma(p, r, 1.0 / 5040.0);
    p = Math.fma(p, r, 1.0 / 720.0);
    p = Math.fma(p, r, 1.0 / 120.0);
    p = Math.fma(p, r, 1.0 / 24.0);
    p = Math.fma(p, r, 1.0 / 6.0);
    p = Math.fma(p, r, 0.5);
    p = Math.fma(p, r, 1.0);
    p = Math.fma(p, r, 1.0);
    return p;
  }

  /** {@code e^r 2^k}: k added to the exponent of {@code e^r}, in [1/√2, √2], so it stays normal. */
  private static double scaled(double expReduced, double x) {
    long k = Double.doubleToRawLongBits(x * LOG2_E + ROUNDING_SHIFT);
    return Double.longBitsToDouble(Double.doubleToRawLongBits(expReduced) + (k << 52));
  }

  /**
   * The hyperbolic tangent, within two units in the last place of {@link StrictMath#tanh} (the
   * tests hold it to 5e-16 relative), about two and a half times faster than {@link Math#tanh}; odd
   * (so {@code -0.0} stays {@code -0.0}), exactly ±1 beyond ±22, NaN for NaN.
   */
  static double tanh(double x) {
    double f = Math.abs(x);
    return Math.copySign(tanhOfMagnitude(f, reduced(f * 2.0)), x);
  }

  /**
   * {@code tanh f} for {@code f = |x|}, given {@code reduced(2f)}, which only f > ln(3)/2 reads.
   */
  private static double tanhOfMagnitude(double f, double reducedTwice) {
    if (f > SATURATION) {
      return 1.0;
    }
    if (f > RATIONAL_LIMIT) {
      return 1.0 - 2.0 / (finished(reducedTwice, f * 2.0) + 1.0);
    }
    return rationalTanh(f);
  }

  /**
   * {@code tanh f} for {@code 0 ≤ f ≤ ln(3)/2}, Cody and Waite's rational form; finite for any
   * {@code f ≤ 22}, where the array form computes it and then weighs it by 0.
   */
  static double rationalTanh(double f) {
    double g = f * f;
    return f + f * ((((P2 * g + P1) * g + P0) * g) / (((g + Q2) * g + Q1) * g + Q0));
  }

  /**
   * {@code out[i] = tanh(x[i])} for {@code i} in {@code [from, to)}, the numbers of {@link
   * #tanh(double)}; {@code x} and {@code out} are different arrays.
   */
  public static void tanh(double[] x, double[] out, int from, int to) {
    // NOTE: no branch per element on the argument. Which of tanh's two forms an element takes
    // depends on the data, and as a network trains its pre-activations spread across ln(3)/2:
    // with a branch per element, an Elman network's training step lost an eighth of its speed
    // within its first hundred steps, as the share below ln(3)/2 fell from 1 to 0.4. So a range
    // takes the rational form alone when every element is below ln(3)/2 (a scan that ends at the
    // first one that is not), and otherwise every element computes both forms.
    int i = from;
    while (i < to && Math.abs(x[i]) <= RATIONAL_LIMIT) {
      i++;
    }
    if (i == to) {
      rationalTanh(x, out, from, to);
    } else {
      eitherFormTanh(x, out, from, to);
    }
  }

  /** {@link #tanh(double[], double[], int, int)} where every |x| is at most ln(3)/2. */
  private static void rationalTanh(double[] x, double[] out, int from, int to) {
    for (int i = from; i < to; i++) {
      out[i] = rationalTanh(Math.abs(x[i])) * sign(x[i]);
    }
  }

  /**
   * {@link #tanh(double[], double[], int, int)} for any x: both forms, and a weight of exactly 0 or
   * 1 that picks one. Above 22, where tanh rounds to 1, the argument is clamped, which keeps 2^k in
   * range and gives 1 − 2 / (e^44 + 1) = 1 exactly.
   */
  private static void eitherFormTanh(double[] x, double[] out, int from, int to) {
    // NOTE: x and out are indexed alike: C2 vectorises a loop over two arrays only when every
    // access is at the same index (it cannot rule out that they are one array).
    for (int i = from; i < to; i++) {
      out[i] = reduced(Math.min(Math.abs(x[i]), SATURATION) * 2.0);
    }
    for (int i = from; i < to; i++) {
      out[i] = scaled(out[i], Math.min(Math.abs(x[i]), SATURATION) * 2.0);
    }
    for (int i = from; i < to; i++) {
      double f = Math.min(Math.abs(x[i]), SATURATION);
      double exponential = 1.0 - 2.0 / (out[i] + 1.0);
      double below = nonNegative(RATIONAL_LIMIT_UP - f);
      // The sign as a factor of exactly ±1 or ±0: Math.copySign would keep C2 from vectorising.
      out[i] = (rationalTanh(f) * below + exponential * (1.0 - below)) * sign(x[i]);
    }
  }

  /** The logistic function {@code 1 / (1 + e^-x)}, without overflow for inputs of either sign. */
  static double sigmoid(double x) {
    double e = exp(-Math.abs(x));
    return Math.max(e, nonNegative(x)) / (1.0 + e);
  }

  /**
   * {@code out[i] = sigmoid(x[i])} for {@code i} in {@code [from, to)}, the numbers of {@link
   * #sigmoid(double)}; {@code x} and {@code out} are different arrays.
   */
  public static void sigmoid(double[] x, double[] out, int from, int to) {
    for (int i = from; i < to; i++) {
      out[i] = reduced(-Math.abs(x[i]));
    }
    for (int i = from; i < to; i++) {
      out[i] = finished(out[i], -Math.abs(x[i]));
    }
    for (int i = from; i < to; i++) {
      out[i] = Math.max(out[i], nonNegative(x[i])) / (1.0 + out[i]);
    }
  }

  /**
   * {@link #sigmoid(double[], double[], int, int)} of one block of each row: for each row {@code r}
   * in {@code [fromRow, toRow)}, the {@code width} elements from {@code r · stride + offset}, as a
   * gate kernel takes one gate's block of every row of its chunk.
   */
  public static void sigmoid(
      double[] x, double[] out, int fromRow, int toRow, int stride, int offset, int width) {
    for (int r = fromRow; r < toRow; r++) {
      int start = r * stride + offset;
      sigmoid(x, out, start, start + width);
    }
  }

  /** {@link #tanh(double[], double[], int, int)} of one block of each row, as {@link #sigmoid}. */
  public static void tanh(
      double[] x, double[] out, int fromRow, int toRow, int stride, int offset, int width) {
    for (int r = fromRow; r < toRow; r++) {
      int start = r * stride + offset;
      tanh(x, out, start, start + width);
    }
  }

  /** ±1 by the sign of x, ±0 for ±0, NaN for NaN: {@link #nonNegative}'s arithmetic. */
  static double sign(double x) {
    return Math.min(1.0, Math.max(-1.0, x * 0x1p1023 * 0x1p1023));
  }

  /**
   * 1 for {@code x > 0}, 0 for {@code x < 0}, NaN for NaN, either for ±0: with {@code e = e^-|x|},
   * {@code max(e, nonNegative(x))} is the sigmoid's numerator, 1 for {@code x ≥ 0} and {@code e}
   * below, exactly.
   */
  static double nonNegative(double x) {
    // NOTE: arithmetic, not a comparison, so that the quotient's loop has no branch on the sign,
    // which half the gates' arguments flip at random: a whole LSTM training step ran 6 to 7 %
    // faster (hidden 32 and 128), though a loop over random arguments alone showed no difference.
    // 2^2046 takes the smallest positive double above 1.
    return Math.min(1.0, Math.max(0.0, x * 0x1p1023 * 0x1p1023));
  }
}
