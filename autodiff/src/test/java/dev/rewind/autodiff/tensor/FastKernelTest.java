package dev.rewind.autodiff.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.autodiff.check.TensorArbitraries;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The kernels that broadcast by indexing give, bit for bit, what the plain definition gives: copy
 * each operand out to the broadcast shape and combine element by element.
 */
class FastKernelTest {

  // Binary kernels against materialise-then-combine.

  @Property(tries = 300)
  void everyBinaryKernelMatchesTheMaterialisedOperands(@ForAll("operands") List<Tensor> pair) {
    Tensor a = pair.get(0);
    Tensor b = pair.get(1);

    assertSameBits(materialised(a, b, (x, y) -> x + y), Pointwise.add(a, b));
    assertSameBits(materialised(a, b, (x, y) -> x - y), Pointwise.sub(a, b));
    assertSameBits(materialised(a, b, (x, y) -> x * y), Pointwise.mul(a, b));
    assertSameBits(materialised(a, b, (x, y) -> x / y), Pointwise.div(a, b));
    assertSameBits(materialised(a, b, Math::atan2), Pointwise.zip(a, b, Math::atan2, "atan2"));
  }

  @Property(tries = 10)
  void theCommonBroadcastPatternsMatchTheMaterialisedOperands(@ForAll long seed) {
    List<Shape[]> patterns =
        List.of(
            new Shape[] {Shape.of(7, 5), Shape.of(7, 5)},
            new Shape[] {Shape.of(7, 5), Shape.of(5)},
            new Shape[] {Shape.of(5), Shape.of(7, 5)},
            new Shape[] {Shape.of(7, 5), Shape.of(1, 5)},
            new Shape[] {Shape.of(7, 5), Shape.of(7, 1)},
            new Shape[] {Shape.of(7, 1), Shape.of(7, 5)},
            new Shape[] {Shape.of(7, 5), Shape.SCALAR},
            new Shape[] {Shape.SCALAR, Shape.of(7, 5)},
            new Shape[] {Shape.of(7, 5), Shape.of(1, 1)},
            new Shape[] {Shape.of(3, 4, 5), Shape.of(5)},
            new Shape[] {Shape.of(3, 4, 5), Shape.of(4, 1)},
            new Shape[] {Shape.of(3, 1, 5), Shape.of(1, 4, 1)},
            new Shape[] {Shape.of(7, 1), Shape.of(1, 5)},
            new Shape[] {Shape.of(0, 5), Shape.of(5)},
            new Shape[] {Shape.SCALAR, Shape.SCALAR});
    Random random = new Random(seed);
    for (Shape[] shapes : patterns) {
      Tensor a = Tensor.randomNormal(shapes[0], 0, 1, random);
      Tensor b = Tensor.randomNormal(shapes[1], 0, 1, random);

      assertSameBits(materialised(a, b, (x, y) -> x + y), Pointwise.add(a, b));
      assertSameBits(materialised(a, b, (x, y) -> x - y), Pointwise.sub(a, b));
      assertSameBits(materialised(a, b, (x, y) -> x * y), Pointwise.mul(a, b));
      assertSameBits(materialised(a, b, (x, y) -> x / y), Pointwise.div(a, b));
    }
  }

  @Property(tries = 200)
  void broadcastToCopiesEachElementWhereItRepeats(@ForAll("operands") List<Tensor> pair) {
    Tensor a = pair.get(0);
    Shape target = a.shape().broadcast(pair.get(1).shape(), "test");

    assertSameBits(
        materialised(a, Tensor.zeros(target), (x, y) -> x), Layout.broadcastTo(a, target));
  }

  // Generators and the plain definitions.

  /**
   * Two operands that broadcast together: each is a common shape with some dimensions set to 1 and
   * some leading ones dropped, so that either, both or neither repeat along each axis.
   */
  @Provide
  Arbitrary<List<Tensor>> operands() {
    Arbitrary<Shape> shapes = TensorArbitraries.shapes(0, 4, 4);
    return shapes.flatMap(
        full ->
            Combinators.combine(reduced(full), reduced(full))
                .flatAs(
                    (left, right) ->
                        Combinators.combine(
                                TensorArbitraries.tensors(left, -3, 3),
                                TensorArbitraries.awayFromZero(right, 0.1, 3))
                            .as(List::of)));
  }

  private static Arbitrary<Shape> reduced(Shape full) {
    return Combinators.combine(
            Arbitraries.of(true, false).list().ofSize(full.rank()),
            Arbitraries.integers().between(0, full.rank()))
        .as(
            (setToOne, drop) -> {
              int[] dims = full.toArray();
              for (int i = 0; i < dims.length; i++) {
                dims[i] = setToOne.get(i) ? 1 : dims[i];
              }
              return Shape.of(Arrays.copyOfRange(dims, drop, dims.length));
            });
  }

  /**
   * {@code f(a, b)} at each index of the broadcast shape, reading each operand where it repeats.
   */
  private static Tensor materialised(Tensor a, Tensor b, DoubleBinaryOperator f) {
    Shape shape = a.shape().broadcast(b.shape(), "test");
    double[] out = new double[shape.size()];
    int[] index = new int[shape.rank()];
    for (int i = 0; i < out.length; i++) {
      int rest = i;
      for (int axis = shape.rank() - 1; axis >= 0; axis--) {
        index[axis] = rest % shape.dim(axis);
        rest /= shape.dim(axis);
      }
      out[i] = f.applyAsDouble(a.data[offset(a.shape(), index)], b.data[offset(b.shape(), index)]);
    }
    return new Tensor(shape, out);
  }

  /** Where {@code index} of a broadcast shape falls in an operand of {@code shape}. */
  private static int offset(Shape shape, int[] index) {
    int skipped = index.length - shape.rank();
    int offset = 0;
    for (int axis = 0; axis < shape.rank(); axis++) {
      int dim = shape.dim(axis);
      offset = offset * dim + (dim == 1 ? 0 : index[skipped + axis]);
    }
    return offset;
  }

  private static void assertSameBits(Tensor expected, Tensor actual) {
    assertEquals(expected.shape(), actual.shape());
    assertArrayEquals(expected.toArray(), actual.toArray(), () -> expected + " vs " + actual);
  }
}
