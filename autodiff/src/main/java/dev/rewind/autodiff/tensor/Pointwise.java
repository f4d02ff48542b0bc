package dev.rewind.autodiff.tensor;

import static dev.rewind.autodiff.tensor.DType.isFloat32;

import dev.rewind.autodiff.internal.Buffers;
import dev.rewind.autodiff.internal.ElementaryFunctions;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Element-wise kernels. Binary kernels broadcast as NumPy does, by indexing each operand where it
 * is: a broadcast operand is never copied out to the result's shape.
 */
public final class Pointwise {
  private Pointwise() {}

  public static Tensor add(Tensor a, Tensor b) {
    if (isFloat32("add", a, b)) return Pointwise32.add(a, b); // dtype dispatch
    return ADD.apply(a, b, "add");
  }

  public static Tensor sub(Tensor a, Tensor b) {
    if (isFloat32("sub", a, b)) return Pointwise32.sub(a, b); // dtype dispatch
    return SUB.apply(a, b, "sub");
  }

  public static Tensor mul(Tensor a, Tensor b) {
    if (isFloat32("mul", a, b)) return Pointwise32.mul(a, b); // dtype dispatch
    return MUL.apply(a, b, "mul");
  }

  public static Tensor div(Tensor a, Tensor b) {
    if (isFloat32("div", a, b)) return Pointwise32.div(a, b); // dtype dispatch
    return DIV.apply(a, b, "div");
  }

  /** {@code f(a, b)} element by element, broadcasting; for the less frequent binary kernels. */
  public static Tensor zip(Tensor a, Tensor b, DoubleBinaryOperator f, String op) {
    if (isFloat32("zip", a, b)) return Pointwise32.zip(a, b, f, op); // dtype dispatch
    return new Binary() {
      @Override
      void rows(double[] x, int xFrom, double[] y, int yFrom, double[] out, int to, int length) {
        for (int i = 0; i < length; i++) {
          out[to + i] = f.applyAsDouble(x[xFrom + i], y[yFrom + i]);
        }
      }

      @Override
      void leftRepeated(double x, double[] y, int yFrom, double[] out, int to, int length) {
        for (int i = 0; i < length; i++) {
          out[to + i] = f.applyAsDouble(x, y[yFrom + i]);
        }
      }

      @Override
      void rightRepeated(double[] x, int xFrom, double y, double[] out, int to, int length) {
        for (int i = 0; i < length; i++) {
          out[to + i] = f.applyAsDouble(x[xFrom + i], y);
        }
      }
    }.apply(a, b, op);
  }

  /** {@code f(t)} element by element; for the less frequent unary kernels. */
  public static Tensor map(Tensor t, DoubleUnaryOperator f) {
    if (isFloat32("map", t)) return Pointwise32.map(t, f); // dtype dispatch
    double[] x = t.data;
    double[] out = Buffers.doublesToOverwrite(x.length);
    for (int i = 0; i < out.length; i++) {
      out[i] = f.applyAsDouble(x[i]);
    }
    return new Tensor(t.shape(), out);
  }

  public static Tensor scale(Tensor t, double factor) {
    if (isFloat32("scale", t)) return Pointwise32.scale(t, (float) factor); // dtype dispatch
    double[] x = t.data;
    double[] out = Buffers.doublesToOverwrite(x.length);
    for (int i = 0; i < out.length; i++) {
      out[i] = x[i] * factor;
    }
    return new Tensor(t.shape(), out);
  }

  public static Tensor tanh(Tensor t) {
    if (isFloat32("tanh", t)) return Pointwise32.tanh(t); // dtype dispatch
    double[] out = Buffers.doublesToOverwrite(t.size());
    ElementaryFunctions.tanh(t.data, out, 0, out.length);
    return new Tensor(t.shape(), out);
  }

  /** The logistic function, computed without overflow for inputs of either sign. */
  public static Tensor sigmoid(Tensor t) {
    if (isFloat32("sigmoid", t)) return Pointwise32.sigmoid(t); // dtype dispatch
    double[] out = Buffers.doublesToOverwrite(t.size());
    ElementaryFunctions.sigmoid(t.data, out, 0, out.length);
    return new Tensor(t.shape(), out);
  }

  public static Tensor exp(Tensor t) {
    if (isFloat32("exp", t)) return Pointwise32.exp(t); // dtype dispatch
    double[] out = Buffers.doublesToOverwrite(t.size());
    ElementaryFunctions.exp(t.data, 0.0, out, 0, out.length);
    return new Tensor(t.shape(), out);
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

  /**
   * A binary kernel as three row loops, one per way a row of the result can draw on its operands
   * (see {@link Broadcast}). Each loop indexes by its counter alone, so C2 can vectorise it.
   */
  private abstract static class Binary {
    /** Both operands step along the row. */
    abstract void rows(
        double[] x, int xFrom, double[] y, int yFrom, double[] out, int to, int length);

    /** The left operand repeats {@code x} along the row. */
    abstract void leftRepeated(double x, double[] y, int yFrom, double[] out, int to, int length);

    /** The right operand repeats {@code y} along the row. */
    abstract void rightRepeated(double[] x, int xFrom, double y, double[] out, int to, int length);

    final Tensor apply(Tensor a, Tensor b, String op) {
      if (a.shape().equals(b.shape())) {
        double[] out = Buffers.doublesToOverwrite(a.data.length);
        rows(a.data, 0, b.data, 0, out, 0, out.length);
        return new Tensor(a.shape(), out);
      }
      Broadcast plan = Broadcast.of(a.shape(), b.shape(), op);
      double[] x = a.data;
      double[] y = b.data;
      double[] out = Buffers.doublesToOverwrite(plan.shape.size());
      int length = plan.rowLength;
      for (int to = 0; to < out.length; to += length) {
        if (!plan.leftSteps) {
          leftRepeated(x[plan.leftOffset()], y, plan.rightOffset(), out, to, length);
        } else if (!plan.rightSteps) {
          rightRepeated(x, plan.leftOffset(), y[plan.rightOffset()], out, to, length);
        } else {
          rows(x, plan.leftOffset(), y, plan.rightOffset(), out, to, length);
        }
        plan.nextRow();
      }
      return new Tensor(plan.shape, out);
    }
  }

  private static final Binary ADD =
      new Binary() {
        @Override
        void rows(double[] x, int xFrom, double[] y, int yFrom, double[] out, int to, int length) {
          for (int i = 0; i < length; i++) {
            out[to + i] = x[xFrom + i] + y[yFrom + i];
          }
        }

        @Override
        void leftRepeated(double x, double[] y, int yFrom, double[] out, int to, int length) {
          for (int i = 0; i < length; i++) {
            out[to + i] = x + y[yFrom + i];
          }
        }

        @Override
        void rightRepeated(double[] x, int xFrom, double y, double[] out, int to, int length) {
          for (int i = 0; i < length; i++) {
            out[to + i] = x[xFrom + i] + y;
          }
        }
      };

  private static final Binary SUB =
      new Binary() {
        @Override
        void rows(double[] x, int xFrom, double[] y, int yFrom, double[] out, int to, int length) {
          for (int i = 0; i < length; i++) {
            out[to + i] = x[xFrom + i] - y[yFrom + i];
          }
        }

        @Override
        void leftRepeated(double x, double[] y, int yFrom, double[] out, int to, int length) {
          for (int i = 0; i < length; i++) {
            out[to + i] = x - y[yFrom + i];
          }
        }

        @Override
        void rightRepeated(double[] x, int xFrom, double y, double[] out, int to, int length) {
          for (int i = 0; i < length; i++) {
            out[to + i] = x[xFrom + i] - y;
          }
        }
      };

  private static final Binary MUL =
      new Binary() {
        @Override
        void rows(double[] x, int xFrom, double[] y, int yFrom, double[] out, int to, int length) {
          for (int i = 0; i < length; i++) {
            out[to + i] = x[xFrom + i] * y[yFrom + i];
          }
        }

        @Override
        void leftRepeated(double x, double[] y, int yFrom, double[] out, int to, int length) {
          for (int i = 0; i < length; i++) {
            out[to + i] = x * y[yFrom + i];
          }
        }

        @Override
        void rightRepeated(double[] x, int xFrom, double y, double[] out, int to, int length) {
          for (int i = 0; i < length; i++) {
            out[to + i] = x[xFrom + i] * y;
          }
        }
      };

  private static final Binary DIV =
      new Binary() {
        @Override
        void rows(double[] x, int xFrom, double[] y, int yFrom, double[] out, int to, int length) {
          for (int i = 0; i < length; i++) {
            out[to + i] = x[xFrom + i] / y[yFrom + i];
          }
        }

        @Override
        void leftRepeated(double x, double[] y, int yFrom, double[] out, int to, int length) {
          for (int i = 0; i < length; i++) {
            out[to + i] = x / y[yFrom + i];
          }
        }

        @Override
        void rightRepeated(double[] x, int xFrom, double y, double[] out, int to, int length) {
          for (int i = 0; i < length; i++) {
            out[to + i] = x[xFrom + i] / y;
          }
        }
      };
}
