package dev.rewind.autodiff.internal;

import static com.google.common.base.Preconditions.checkArgument;
import static dev.rewind.autodiff.tensor.DType.isFloat32;

import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.Arrays;

/**
 * The backward kernels of the activations and of log-softmax, fused: one pass and one new array
 * where the same formula written with element-wise kernels would take three or four. Each reads the
 * activation's output {@code y}, as its derivative is cheapest in terms of it. The ops {@code
 * TanhBackward}, {@code SigmoidBackward} and {@code LogSoftmaxBackward} run them.
 */
public final class BackwardKernels {
  private BackwardKernels() {}

  /**
   * {@code g (1 − y²)}: the gradient of {@code x} given {@code g = dL/dy} and {@code y = tanh x}.
   */
  public static Tensor tanh(Tensor g, Tensor y) {
    if (isFloat32("tanh", g, y)) return BackwardKernels32.tanh(g, y); // dtype dispatch
    checkSameShape("tanhBackward", g, y);
    double[] out = Buffers.doublesToOverwrite(g.size());
    tanhInto(g, y, out);
    return TensorArrays.wrap(g.shape(), out);
  }

  /**
   * {@link #tanh}'s numbers in this thread's scratch array 0, overwritten by the next call: for a
   * fused backward pass that reads them before it returns (an Elman step's pre-activation gradient,
   * one per step) and keeps neither the tensor nor anything sharing its array.
   */
  public static Tensor tanhInScratch(Tensor g, Tensor y) {
    if (isFloat32("tanhInScratch", g, y))
      return BackwardKernels32.tanhInScratch(g, y); // dtype dispatch
    checkSameShape("tanhBackward", g, y);
    double[] out = Scratch.overwritten(0, g.size());
    tanhInto(g, y, out);
    return TensorArrays.wrap(g.shape(), out);
  }

  private static void tanhInto(Tensor g, Tensor y, double[] out) {
    double[] gradient = TensorArrays.array(g);
    double[] output = TensorArrays.array(y);
    for (int i = 0; i < out.length; i++) {
      out[i] = gradient[i] * (1.0 - output[i] * output[i]);
    }
  }

  /**
   * {@code g (y (1 − y))}: the gradient of {@code x} given {@code g = dL/dy} and {@code y = σ(x)}.
   */
  public static Tensor sigmoid(Tensor g, Tensor y) {
    if (isFloat32("sigmoid", g, y)) return BackwardKernels32.sigmoid(g, y); // dtype dispatch
    checkSameShape("sigmoidBackward", g, y);
    double[] gradient = TensorArrays.array(g);
    double[] output = TensorArrays.array(y);
    double[] out = Buffers.doublesToOverwrite(gradient.length);
    for (int i = 0; i < out.length; i++) {
      out[i] = gradient[i] * (output[i] * (1.0 - output[i]));
    }
    return TensorArrays.wrap(g.shape(), out);
  }

  /**
   * {@code g − p Σ_axis g}: the gradient of {@code x} given {@code g = dL/dy}, {@code y =
   * logSoftmax(x)} along {@code axis}, and {@code p = e^y}, the softmax, which the forward pass has
   * already computed.
   */
  public static Tensor logSoftmax(Tensor g, Tensor probabilities, int axis) {
    if (isFloat32("logSoftmax", g, probabilities))
      return BackwardKernels32.logSoftmax(g, probabilities, axis); // dtype dispatch
    checkSameShape("logSoftmaxBackward", g, probabilities);
    Shape shape = g.shape();
    int length = shape.dim(axis);
    // The elements after the axis: how far apart two neighbours along it are.
    int inner = shape.strides()[axis];
    double[] gradient = TensorArrays.array(g);
    double[] p = TensorArrays.array(probabilities);
    double[] out = Buffers.doubles(gradient.length);
    if (inner == 1) {
      // The common case, the last axis: each row's sum in a register.
      for (int from = 0; from < out.length; from += length) {
        double sum = 0;
        for (int i = from; i < from + length; i++) {
          sum += gradient[i];
        }
        for (int i = from; i < from + length; i++) {
          out[i] = gradient[i] - p[i] * sum;
        }
      }
      return TensorArrays.wrap(shape, out);
    }
    double[] sums = Buffers.doubles(inner);
    // NOTE: out.length is a multiple of length * inner, and 0 when that is, so the loop ends.
    for (int block = 0; block < out.length; block += length * inner) {
      Arrays.fill(sums, 0.0);
      for (int k = 0; k < length; k++) {
        for (int i = 0; i < inner; i++) {
          sums[i] += gradient[block + k * inner + i];
        }
      }
      for (int k = 0; k < length; k++) {
        for (int i = 0; i < inner; i++) {
          int at = block + k * inner + i;
          out[at] = gradient[at] - p[at] * sums[i];
        }
      }
    }
    return TensorArrays.wrap(shape, out);
  }

  /** Throws, naming the kernel and both shapes, unless {@code g} and {@code y} agree in shape. */
  public static void checkSameShape(String name, Shape g, Shape y) {
    checkArgument(
        g.equals(y), "%s: gradient %s and output %s must have the same shape", name, g, y);
  }

  private static void checkSameShape(String name, Tensor g, Tensor y) {
    checkSameShape(name, g.shape(), y.shape());
  }
}
