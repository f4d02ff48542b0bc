package dev.rewind.autodiff.internal;

import com.google.errorprone.annotations.CanIgnoreReturnValue;

/**
 * The float32 forms of {@link ElementaryFunctions}, which the generated float32 kernels call: each
 * widens its floats to doubles, computes there, and rounds the results to float, so that an element
 * is the function's value correctly rounded (or within one rounding of it), and the array forms
 * give the scalar forms' bits. The exponential runs the float64 form with a shorter polynomial
 * ({@link #reducedForFloat}): float32 needs fewer of its terms. The sigmoid and tanh, which only
 * need {@code e^-f} for {@code f ≥ 0}, take it from {@link #expOfNegatedForFloat} instead, which
 * needs no bits of a double and so vectorises whole; and they take every row's block of a gate
 * kernel's chunk as one range. A float32 LSTM spends most of its element-wise time in them.
 */
public final class ElementaryFunctions32 {
  /**
   * Beyond this, e^-x is below half float32's smallest value (2^−150, about e^−103.97): the float32
   * sigmoid takes e^-110 instead, which rounds the same.
   */
  private static final double FLOAT_NEGLIGIBLE = 110.0;

  /** Beyond this, tanh is 1 in float32 (from about 9.01): the float32 tanh clamps here. */
  private static final double FLOAT_TANH_SATURATION = FLOAT_NEGLIGIBLE / 2.0;

  private ElementaryFunctions32() {}

  /** {@link ElementaryFunctions#exp(double[], double, double[], int, int)} for float32 arrays. */
  public static void exp(float[] x, float shift, float[] out, int from, int to) {
    expAndSum(x, shift, out, from, to);
  }

  /**
   * {@link ElementaryFunctions#expAndSum(double[], double, double[], int, int)} for float32 arrays;
   * the sum is added in double and rounded once.
   */
  @CanIgnoreReturnValue
  static float expAndSum(float[] x, float shift, float[] out, int from, int to) {
    Widened wide = Widened.of(x, 0, 1, 0, from, to - from);
    double total = expAndSumForFloat(wide.in, shift, wide.out, 0, wide.length);
    wide.narrowInto(out);
    return (float) total;
  }

  /**
   * {@link ElementaryFunctions#tanh(double[], double[], int, int)} for float32 arrays: both of
   * tanh's forms for every element, as there, with the exponential of {@link
   * #expOfNegatedForFloat}.
   */
  public static void tanh(float[] x, float[] out, int from, int to) {
    tanh(x, out, 0, 1, 0, from, to - from);
  }

  /**
   * {@link ElementaryFunctions#tanh(double[], double[], int, int, int, int, int)} for float32
   * arrays: every row's block widened into one range, so that the vectorised loops run over all of
   * them at once (a block of 32 floats alone spends more on each loop's start and end than on its
   * arithmetic).
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
   * {@link ElementaryFunctions#sigmoid(double[], double[], int, int)} for float32 arrays, with an
   * exponential that needs no bits of a double ({@link #expOfNegatedForFloat}), so that every step
   * vectorises.
   */
  public static void sigmoid(float[] x, float[] out, int from, int to) {
    sigmoid(x, out, 0, 1, 0, from, to - from);
  }

  /**
   * {@link ElementaryFunctions#sigmoid(double[], double[], int, int, int, int, int)} for float32
   * arrays, every row's block widened into one range, as {@link #tanh(float[], float[], int, int,
   * int, int, int)}.
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
    return (float) ElementaryFunctions.finished(reducedForFloat(v), v);
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
    double below = ElementaryFunctions.nonNegative(ElementaryFunctions.RATIONAL_LIMIT_UP - f);
    return (ElementaryFunctions.rationalTanh(f) * below + exponential * (1.0 - below))
        * ElementaryFunctions.sign(x);
  }

  static float sigmoid(float x) {
    return (float) sigmoidForFloat(x);
  }

  /**
   * The logistic function of a float's value, to be rounded to float: see {@link #sigmoid(float)}.
   */
  private static double sigmoidForFloat(double x) {
    double e = expOfNegatedForFloat(Math.min(Math.abs(x), FLOAT_NEGLIGIBLE));
    return Math.max(e, ElementaryFunctions.nonNegative(x)) / (1.0 + e);
  }

  /**
   * {@code e^-f} for {@code 0 ≤ f ≤ 110} (or NaN) to float32's needs, as {@code (e^{-f/256})^256}:
   * the Taylor polynomial of degree 12 on {@code [−0.43, 0]}, whose remainder is below 2^−47
   * relative there, squared eight times, which multiplies its error by 256. Within 2^−39 of {@code
   * e^-f}, so a float lands on the other side of halfway about once in 50,000 draws; and all of it
   * is arithmetic that C2 vectorises, where {@code ElementaryFunctions.scaled} needs the bits of
   * each double. The squarings keep the value normal in double: {@code e^-110} is about 2^−159.
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

  /**
   * {@link ElementaryFunctions#expAndSum(double[], double, double[], int, int)} to float32's
   * precision, for the float32 forms: the same reduction, and a polynomial short enough to be
   * within 2^−36 of e^r, which rounds to the float nearest e^x (or its neighbour, when e^x lies
   * that close to halfway).
   */
  private static double expAndSumForFloat(
      double[] x, double shift, double[] out, int from, int to) {
    for (int i = from; i < to; i++) {
      out[i] = reducedForFloat(x[i] - shift);
    }
    return ElementaryFunctions.finishedAndSummed(x, shift, out, from, to);
  }

  /**
   * {@code e^r} to float32's precision: the Taylor polynomial of degree 9, whose remainder is below
   * 2^−36 relative on {@code [−ln(2)/2, ln(2)/2]}, a 4,096th of a float's half ulp; four terms
   * fewer than {@link #reduced}, where a float32 softmax spends most of its time.
   */
  private static double reducedForFloat(double x) {
    double r = ElementaryFunctions.reducedArgument(x);
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
}
