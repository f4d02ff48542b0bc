package dev.rewind.autodiff.tensor;

import dev.rewind.autodiff.internal.TensorArrays;

/**
 * What {@link Tensor} hands over to the kernels of {@code dev.rewind.autodiff.internal}: its arrays
 * without a copy, wrapping an array without a copy, and the affine map of {@link MatMul} (or its
 * float32 twin) into an array.
 */
final class ArrayAccess implements TensorArrays.Access {
  @Override
  public double[] array(Tensor t) {
    return t.data;
  }

  @Override
  public float[] floats(Tensor t) {
    return t.floats;
  }

  @Override
  public Tensor wrap(Shape shape, double[] data) {
    return new Tensor(shape, data);
  }

  @Override
  public Tensor wrap(Shape shape, float[] data) {
    return new Tensor(shape, data);
  }

  @Override
  public void affineInto(Tensor x, Tensor w, Tensor b, double[] out) {
    MatMul.affineInto(x, w, b, out);
  }

  @Override
  public void addBias(Tensor b, double[] out) {
    MatMul.addBias(b, out);
  }

  @Override
  public void affineInto(Tensor x, Tensor w, Tensor b, float[] out) {
    MatMul32.affineInto(x, w, b, out);
  }

  @Override
  public void addBias(Tensor b, float[] out) {
    MatMul32.addBias(b, out);
  }
}
