package dev.rewind.autodiff.tensor;

import com.google.common.base.Verify;
import java.util.Locale;

/**
 * {@link Tensor#toString}: a small tensor in full, nested like NumPy, and a large one as its shape
 * and first values, with six significant digits. A float32 tensor says so after its shape, as
 * PyTorch prints a dtype other than its default.
 */
final class TensorPrinter {
  private static final int PRINTED_ELEMENTS = 64;
  private static final int HEAD_ELEMENTS = 8;

  private TensorPrinter() {}

  static String print(Tensor t) {
    String name = "Tensor" + t.shape() + (t.dtype() == DType.FLOAT32 ? " float32" : "");
    if (t.size() > PRINTED_ELEMENTS) {
      StringBuilder head = new StringBuilder(name + " [");
      for (int i = 0; i < HEAD_ELEMENTS; i++) {
        head.append(i == 0 ? "" : ", ").append(format(t.element(i)));
      }
      return head.append(", ...]").toString();
    }
    StringBuilder out = new StringBuilder(name + " ");
    int end = appendNested(t, out, 0, 0);
    Verify.verify(end == t.size(), "printed %s of %s elements", end, t.size());
    return out.toString();
  }

  private static int appendNested(Tensor t, StringBuilder out, int axis, int position) {
    if (axis == t.rank()) {
      out.append(format(t.element(position)));
      return position + 1;
    }
    out.append('[');
    for (int i = 0; i < t.shape().dim(axis); i++) {
      out.append(i == 0 ? "" : ", ");
      position = appendNested(t, out, axis + 1, position);
    }
    out.append(']');
    return position;
  }

  /**
   * Six significant digits without trailing zeros: {@code 7}, {@code -1.5}, {@code 3.33333e-07}.
   */
  private static String format(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return String.valueOf((long) value);
    }
    String text = String.format(Locale.ROOT, "%.6g", value);
    int exponent = text.indexOf('e');
    String mantissa = exponent < 0 ? text : text.substring(0, exponent);
    if (mantissa.contains(".")) {
      mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return exponent < 0 ? mantissa : mantissa + text.substring(exponent);
  }
}
