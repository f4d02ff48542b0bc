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
  private static final double RATIONAL_LIMIT_UP = Math.nextUp(RATIONAL_LIMIT);

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

  /**
   * Beyond this, e^-x is below half float32's smallest value (2^−150, about e^−103.97): the float32
   * sigmoid takes e^-110 instead, which rounds the same.
   */
  private static final double FLOAT_NEGLIGIBLE = 110.0;

  /** Beyond this, tanh is 1 in float32 (from about 9.01): the float32 tanh clamps here. */
  private static final double FLOAT_TANH_SATURATION = FLOAT_NEGLIGIBLE / 2.0;

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

  /**
   * {@link #expAndSum(double[], double, double[], int, int)} to float32's precision, for the
   * float32 forms: the same reduction, and a polynomial short enough to be within 2^−36 of e^r,
   * which rounds to the float nearest e^x (or its neighbour, when e^x lies that close to halfway).
   */
  private static double expAndSumForFloat(
      double[] x, double shift, double[] out, int from, int to) {
    for (int i = from; i < to; i++) {
      out[i] = reducedForFloat(x[i] - shift);
    }
    return finishedAndSummed(x, shift, out, from, to);
  }

  /** The second, scalar pass of the exponentials of a range, returning their sum. */
  private static double finishedAndSummed(
      double[] x, double shift, double[] out, int from, int to) {
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
  private static double finished(double expReduced, double v) {
    return v >= EXP_MIN && v <= EXP_MAX ? scaled(expReduced, v) : Math.exp(v);
  }

  /** {@code r = x − k ln 2} in {@code [−ln(2)/2, ln(2)/2]}, {@code k = round(x / ln 2)}. */
  private static double reducedArgument(double x) {
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

  /**
   * {@code e^r} to float32's precision: the Taylor polynomial of degree 9, whose remainder is below
   * 2^−36 relative on {@code [−ln(2)/2, ln(2)/2]}, a 4,096th of a float's half ulp; four terms
   * fewer than {@link #reduced}, where a float32 softmax spends most of its time.
   */
  private static double reducedForFloat(double x) {
    double r = reducedArgument(x);
    double p = Math.fma(1.0 / 362880.0, r, 1.0 / 40320.0);
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
  private static double rationalTanh(double f) {
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
  private static double sign(double x) {
    return Math.min(1.0, Math.max(-1.0, x * 0x1p1023 * 0x1p1023));
  }

  /**
   * 1 for {@code x > 0}, 0 for {@code x < 0}, NaN for NaN, either for ±0: with {@code e = e^-|x|},
   * {@code max(e, nonNegative(x))} is the sigmoid's numerator, 1 for {@code x ≥ 0} and {@code e}
   * below, exactly.
   */
  private static double nonNegative(double x) {
    // NOTE: arithmetic, not a comparison, so that the quotient's loop has no branch on the sign,
    // which half the gates' arguments flip at random: a whole LSTM training step ran 6 to 7 %
    // faster (hidden 32 and 128), though a loop over random arguments alone showed no difference.
    // 2^2046 takes the smallest positive double above 1.
    return Math.min(1.0, Math.max(0.0, x * 0x1p1023 * 0x1p1023));
  }

  // The float32 forms: each widens its range to doubles, computes there, and rounds the results to
  // float, so that a float32 element is the function's value correctly rounded (or within one
  // rounding of it). The exponential runs the double form with a shorter polynomial
  // (reducedForFloat): float32 needs fewer of its terms. The sigmoid and tanh, which only need
  // e^-f for f ≥ 0, take it from expOfNegatedForFloat instead, which vectorises whole: a float32
  // LSTM spends most of its element-wise time in them.

  /** {@link #exp(double[], double, double[], int, int)} for float32 arrays. */
  public static void exp(float[] x, float shift, float[] out, int from, int to) {
    expAndSum(x, shift, out, from, to);
  }

  /**
   * {@link #expAndSum(double[], double, double[], int, int)} for float32 arrays; the sum is added
   * in double and rounded once.
   */
  @CanIgnoreReturnValue
  static float expAndSum(float[] x, float shift, float[] out, int from, int to) {
    Widened wide = Widened.of(x, 0, 1, 0, from, to - from);
    double total = expAndSumForFloat(wide.in, shift, wide.out, 0, wide.length);
    wide.narrowInto(out);
    return (float) total;
  }

  /**
   * {@link #tanh(double[], double[], int, int)} for float32 arrays: both of tanh's forms for every
   * element, as there, with the exponential of {@link #expOfNegatedForFloat}.
   */
  public static void tanh(float[] x, float[] out, int from, int to) {
    tanh(x, out, 0, 1, 0, from, to - from);
  }

  /**
   * {@link #tanh(double[], double[], int, int, int, int, int)} for float32 arrays: every row's
   * block widened into one range, so that the vectorised loops run over all of them at once (a
   * block of 32 floats alone spends more on each loop's start and end than on its arithmetic).
   */
  public static void tanh(
      float[] x, float[] out, int fromRow, int toRow, int stride, int offset, int width) {
    Widened wide = Widened.of(x, fromRow, toRow, stride, offset, width);
    double[] in = wide.in;
    double[] results = wide.out;
    int length = wide.length;
    // NOTE: in two loops, as eitherFormTanh: C2 vectorises neither half when they are one loop.
    for (int i = 0; i < length; i++) {
      results[i] = expOfNegatedForFloat(2.0 * Math.min(Math.abs(in[i]), FLOAT_TANH_SATURATION));
    }
    for (int i = 0; i < length; i++) {
      results[i] = tanhForFloat(in[i], results[i]);
    }
    wide.narrowInto(out);
  }

  /**
   * {@link #sigmoid(double[], double[], int, int)} for float32 arrays, with an exponential that
   * needs no bits of a double ({@link #expOfNegatedForFloat}), so that every step vectorises.
   */
  public static void sigmoid(float[] x, float[] out, int from, int to) {
    sigmoid(x, out, 0, 1, 0, from, to - from);
  }

  /**
   * {@link #sigmoid(double[], double[], int, int, int, int, int)} for float32 arrays, every row's
   * block widened into one range, as {@link #tanh(float[], float[], int, int, int, int, int)}.
   */
  public static void sigmoid(
      float[] x, float[] out, int fromRow, int toRow, int stride, int offset, int width) {
    Widened wide = Widened.of(x, fromRow, toRow, stride, offset, width);
    double[] in = wide.in;
    double[] results = wide.out;
    int length = wide.length;
    for (int i = 0; i < length; i++) {
      results[i] = sigmoidForFloat(in[i]);
    }
    wide.narrowInto(out);
  }

  static float exp(float x) {
    double v = x;
    return (float) finished(reducedForFloat(v), v);
  }

  static float tanh(float x) {
    double v = x;
    return (float)
        tanhForFloat(v, expOfNegatedForFloat(2.0 * Math.min(Math.abs(v), FLOAT_TANH_SATURATION)));
  }

  /**
   * The hyperbolic tangent of a float's value, to be rounded to float: the rational form below
   * ln(3)/2, {@code (1 − e) / (1 + e)} with {@code e = e^{−2|x|}} above, weighed as {@link
   * #eitherFormTanh} weighs them; {@code e} is {@link #expOfNegatedForFloat} of {@code 2|x|},
   * clamped at {@link #FLOAT_TANH_SATURATION}.
   */
  private static double tanhForFloat(double x, double e) {
    double f = Math.min(Math.abs(x), FLOAT_TANH_SATURATION);
    double exponential = (1.0 - e) / (1.0 + e);
    double below = nonNegative(RATIONAL_LIMIT_UP - f);
    return (rationalTanh(f) * below + exponential * (1.0 - below)) * sign(x);
  }

  static float sigmoid(float x) {
    return (float) sigmoidForFloat(x);
  }

  /**
   * The logistic function of a float's value, to be rounded to float: see {@link #sigmoid(float)}.
   */
  private static double sigmoidForFloat(double x) {
    double e = expOfNegatedForFloat(Math.min(Math.abs(x), FLOAT_NEGLIGIBLE));
    return Math.max(e, nonNegative(x)) / (1.0 + e);
  }

  /**
   * {@code e^-f} for {@code 0 ≤ f ≤ 110} (or NaN) to float32's needs, as {@code (e^{-f/256})^256}:
   * the Taylor polynomial of degree 12 on {@code [−0.43, 0]}, whose remainder is below 2^−47
   * relative there, squared eight times, which multiplies its error by 256. Within 2^−39 of {@code
   * e^-f}, so a float lands on the other side of halfway about once in 50,000 draws; and all of it
   * is arithmetic that C2 vectorises, where {@link #scaled} needs the bits of each double. The
   * squarings keep the value normal in double: {@code e^-110} is about 2^−159.
   */
  private static double expOfNegatedForFloat(double f) {
    double y = f * (-1.0 / 256.0);
    double p = Math.fma(1.0 / 479001600.0, y, 1.0 / 39916800.0);
    p = Math.fma(p, y, 1.0 / 3628800.0);
    p = Math.fma(p, y, 1.0 / 362880.0);
    p = Math.fma(p, y, 1.0 / 40320.0);
    p = Math.fma(p, y, 1.0 / 5040.0);
    p = Math.fma(p, y, 1.0 / 720.0);
    p = Math.fma(p, y, 1.0 / 120.0);
    p = Math.fma(p, y, 1.0 / 24.0);
    p = Math.fma(p, y, 1.0 / 6.0);
    p = Math.fma(p, y, 0.5);
    p = Math.fma(p, y, 1.0);
    p = Math.fma(p, y, 1.0);
    p *= p;
    p *= p;
    p *= p;
    p *= p;
    p *= p;
    p *= p;
    p *= p;
    p *= p;
    return p;
  }

  /**
   * A block of each of some rows of a float32 array (a range: one row), widened one after the other
   * into this thread's double arrays, with room for the results.
   */
  private static final class Widened {
    private static final ThreadLocal<Widened> BUFFERS = ThreadLocal.withInitial(Widened::new);

    private double[] in = new double[0];
    private double[] out = new double[0];
    private int length;
    private int fromRow;
    private int toRow;
    private int stride;
    private int offset;
    private int width;

    /** Elements {@code [r · stride + offset, r · stride + offset + width)} of each row r. */
    static Widened of(float[] x, int fromRow, int toRow, int stride, int offset, int width) {
      Widened wide = BUFFERS.get();
      wide.length = (toRow - fromRow) * width;
      wide.fromRow = fromRow;
      wide.toRow = toRow;
      wide.stride = stride;
      wide.offset = offset;
      wide.width = width;
      if (wide.in.length < wide.length) {
        wide.in = new double[wide.length];
        wide.out = new double[wide.length];
      }
      for (int r = fromRow, at = 0; r < toRow; r++, at += width) {
        int start = r * stride + offset;
        for (int j = 0; j < width; j++) {
          wide.in[at + j] = x[start + j];
        }
      }
      return wide;
    }

    /** The results, rounded to float, where the widened elements came from. */
    void narrowInto(float[] target) {
      for (int r = fromRow, at = 0; r < toRow; r++, at += width) {
        int start = r * stride + offset;
        for (int j = 0; j < width; j++) {
          target[start + j] = (float) out[at + j];
        }
      }
    }
  }
}
