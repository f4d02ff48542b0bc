package dev.rewind.autodiff.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The access Tensor hands over: no copies either way, and installed once only. */
class TensorArraysTest {
  @Test
  void wrapAndArrayShareTheArrayWithoutCopying() {
    double[] data = {1, 2, 3, 4, 5, 6};

    Tensor t = TensorArrays.wrap(Shape.of(2, 3), data);

    assertSame(data, TensorArrays.array(t));
    assertEquals(Tensor.matrix(new double[][] {{1, 2, 3}, {4, 5, 6}}), t);
  }

  @Test
  void wrapChecksThatShapeAndArrayAgree() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> TensorArrays.wrap(Shape.of(2, 3), new double[5]));

    assertEquals("tensor: shape [2, 3] holds 6 elements but 5 values were given", e.getMessage());
  }

  @Test
  void aSecondInstallIsRefused() {
    Tensor unused = Tensor.scalar(0.0);

    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                TensorArrays.install(
                    new TensorArrays.Access() {
                      @Override
                      public double[] array(Tensor t) {
                        return t.toArray();
                      }

                      @Override
                      public Tensor wrap(Shape shape, double[] data) {
                        return Tensor.of(shape, data);
                      }

                      @Override
                      public void affineInto(Tensor x, Tensor w, Tensor b, double[] out) {}

                      @Override
                      public void addBias(Tensor b, double[] out) {}

                      @Override
                      public float[] floats(Tensor t) {
                        return t.toFloatArray();
                      }

                      @Override
                      public Tensor wrap(Shape shape, float[] data) {
                        return Tensor.ofFloats(shape, data);
                      }

                      @Override
                      public void affineInto(Tensor x, Tensor w, Tensor b, float[] out) {}

                      @Override
                      public void addBias(Tensor b, float[] out) {}
                    }));

    assertEquals("TensorArrays: the access is installed once, by Tensor", e.getMessage());
  }
}
