package dev.rewind.autodiff.tensor;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Element-wise kernels. Binary kernels broadcast as NumPy does: operands of different shapes are
 * first expanded to the broadcast shape, then combined element by element.
 */
public final class Pointwise {
  private Pointwise() {}

  public static Tensor add(Tensor a, Tensor b) {
    Tensor[] ab = broadcastBoth(a, b, "add");
    double[] x = ab[0].data;
    double[] y = ab[1].data;
    double[] out = new double[x.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = x[i] + y[i];
    }
    return new Tensor(ab[0].shape(), out);
  }

  public static Tensor sub(Tensor a, Tensor b) {
    Tensor[] ab = broadcastBoth(a, b, "sub");
    double[] x = ab[0].data;
    double[] y = ab[1].data;
    double[] out = new double[x.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = x[i] - y[i];
    }
    return new Tensor(ab[0].shape(), out);
  }

  public static Tensor mul(Tensor a, Tensor b) {
    Tensor[] ab = broadcastBoth(a, b, "mul");
    double[] x = ab[0].data;
    double[] y = ab[1].data;
    double[] out = new double[x.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = x[i] * y[i];
    }
    return new Tensor(ab[0].shape(), out);
  }

  public static Tensor div(Tensor a, Tensor b) {
    Tensor[] ab = broadcastBoth(a, b, "div");
    double[] x = ab[0].data;
    double[] y = ab[1].data;
    double[] out = new double[x.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = x[i] / y[i];
    }
    return new Tensor(ab[0].shape(), out);
  }

  /** {@code f(a, b)} element by element, broadcasting; for the less frequent binary kernels. */
  public static Tensor zip(Tensor a, Tensor b, DoubleBinaryOperator f, String op) {
    Tensor[] ab = broadcastBoth(a, b, op);
    double[] x = ab[0].data;
    double[] y = ab[1].data;
    double[] out = new double[x.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = f.applyAsDouble(x[i], y[i]);
    }
    return new Tensor(ab[0].shape(), out);
  }

  /** {@code f(t)} element by element; for the less frequent unary kernels. */
  public static Tensor map(Tensor t, DoubleUnaryOperator f) {
    double[] x = t.data;
    double[] out = new double[x.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = f.applyAsDouble(x[i]);
    }
    return new Tensor(t.shape(), out);
  }

  public static Tensor scale(Tensor t, double factor) {
    double[] x = t.data;
    double[] out = new double[x.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = x[i] * factor;
    }
    return new Tensor(t.shape(), out);
  }

  public static Tensor tanh(Tensor t) {
    double[] x = t.data;
    double[] out = new double[x.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.tanh(x[i]);
    }
    return new Tensor(t.shape(), out);
  }

  /** The logistic function, computed without overflow for inputs of either sign. */
  public static Tensor sigmoid(Tensor t) {
    double[] x = t.data;
    double[] out = new double[x.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = sigmoid(x[i]);
    }
    return new Tensor(t.shape(), out);
  }

  /** The logistic function 1 / (1 + e^-x), stable for large |x|. */
  public static double sigmoid(double x) {
    if (x >= 0) {
      return 1.0 / (1.0 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1.0 + e);
  }

  public static Tensor exp(Tensor t) {
    return map(t, Math::exp);
  }

  public static Tensor log(Tensor t) {
    return map(t, Math::log);
  }

  public static Tensor sqrt(Tensor t) {
    return map(t, Math::sqrt);
  }

  public static Tensor abs(Tensor t) {
    return map(t, Math::abs);
  }

  /** The sign of each element: -1, 0 or 1. */
  public static Tensor sign(Tensor t) {
    return map(t, Math::signum);
  }

  public static Tensor relu(Tensor t) {
    return map(t, x -> x > 0 ? x : 0.0);
  }

  /** 1 where the element is positive, else 0: the derivative of relu away from 0. */
  public static Tensor positiveMask(Tensor t) {
    return map(t, x -> x > 0 ? 1.0 : 0.0);
  }

  public static Tensor pow(Tensor t, double exponent) {
    if (exponent == 2.0) {
      return mul(t, t);
    }
    return map(t, x -> Math.pow(x, exponent));
  }

  public static Tensor clamp(Tensor t, double min, double max) {
    return map(t, x -> Math.min(max, Math.max(min, x)));
  }

  /** 1 where {@code min <= x <= max}, else 0: where clamp passes its gradient. */
  public static Tensor insideMask(Tensor t, double min, double max) {
    return map(t, x -> x >= min && x <= max ? 1.0 : 0.0);
  }

  /**
   * The weight of {@code a} in {@code maximum(a, b)}: 1 where a is larger, 0 where smaller, and 1/2
   * at a tie, so that a tie shares the gradient as PyTorch does.
   */
  public static Tensor winnerWeight(Tensor a, Tensor b) {
    return zip(a, b, (x, y) -> x > y ? 1.0 : x < y ? 0.0 : 0.5, "maximum");
  }

  private static Tensor[] broadcastBoth(Tensor a, Tensor b, String op) {
    if (a.shape().equals(b.shape())) {
      return new Tensor[] {a, b};
    }
    Shape shape = a.shape().broadcast(b.shape(), op);
    return new Tensor[] {Layout.broadcastTo(a, shape), Layout.broadcastTo(b, shape)};
  }
}
