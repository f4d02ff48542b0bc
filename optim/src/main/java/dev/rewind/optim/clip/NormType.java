package dev.rewind.optim.clip;

import dev.rewind.autodiff.tensor.Reductions;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;

/**
 * The norm a clipper measures gradients with. Either norm of several tensors together, as if
 * concatenated, is the same norm of the vector of their norms.
 *
 * <pre>
 * L2:   ‖g‖₂ = √(Σ g_i²)
 * MAX:  ‖g‖∞ = max |g_i|
 * </pre>
 */
public enum NormType {
  /** The Euclidean norm, computed without overflow or underflow. */
  L2 {
    @Override
    public double of(Tensor tensor) {
      return Reductions.norm(tensor);
    }
  },

  /** The largest absolute element (0 for an empty tensor). */
  MAX {
    @Override
    public double of(Tensor tensor) {
      double largest = 0;
      for (int i = 0; i < tensor.size(); i++) {
        largest = Math.max(largest, Math.abs(tensor.getFlat(i)));
      }
      return largest;
    }
  };

  /** The norm of every element of {@code tensor}. */
  public abstract double of(Tensor tensor);

  /** The norm of all {@code tensors} together, as if concatenated into one vector. */
  public double ofAll(List<Tensor> tensors) {
    double[] norms = new double[tensors.size()];
    for (int i = 0; i < norms.length; i++) {
      norms[i] = of(tensors.get(i));
    }
    return of(Tensor.vector(norms));
  }
}
