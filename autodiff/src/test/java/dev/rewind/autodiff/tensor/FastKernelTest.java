package dev.rewind.autodiff.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.check.TensorArbitraries;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BinaryOperator;
import java.util.function.DoubleBinaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The kernels that broadcast by indexing and reduce row by row give, bit for bit, what the plain
 * definitions give: copy each operand out to the broadcast shape and combine element by element;
 * add rows in increasing order. The fused softmax kernels also keep rows normalised and finite.
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

  // Reductions against rows added in increasing order.

  @Property(tries = 200)
  void sumAndMaxAlongAnAxisMatchAnElementByElementLoop(
      @ForAll("tensors") Tensor t, @ForAll @IntRange(max = 3) int axisSeed) {
    if (t.rank() == 0) {
      return;
    }
    int axis = axisSeed % t.rank();

    assertSameBits(alongAxis(t, axis, 0.0, Double::sum), Reductions.sum(t, axis, true));
    assertSameBits(
        alongAxis(t, axis, 0.0, Double::sum).reshape(t.shape().without(axis)),
        Reductions.sum(t, axis, false));
    if (t.shape().dim(axis) > 0) {
      assertSameBits(
          alongAxis(t, axis, Double.NEGATIVE_INFINITY, Math::max), Reductions.maxKeepDims(t, axis));
    }
  }

  @Property(tries = 100)
  void sumToOverOneAxisAddsRowsInIncreasingOrder(@ForAll long seed) {
    Random random = new Random(seed);
    Tensor t = Tensor.randomNormal(Shape.of(9, 4), 0, 1, random);

    Tensor columns = alongAxis(t, 0, 0.0, Double::sum);
    assertSameBits(columns.reshape(Shape.of(4)), Reductions.sumTo(t, Shape.of(4)));
    assertSameBits(columns, Reductions.sumTo(t, Shape.of(1, 4)));
    assertSameBits(alongAxis(t, 1, 0.0, Double::sum), Reductions.sumTo(t, Shape.of(9, 1)));
  }

  @Property(tries = 100)
  void sumToOverSeveralAxesSumsOneAxisAfterTheOther(@ForAll long seed) {
    Random random = new Random(seed);
    Tensor t = Tensor.randomNormal(Shape.of(3, 4, 5), 0, 1, random);

    Tensor overBatch = alongAxis(t, 0, 0.0, Double::sum);
    Tensor overBatchAndTime = alongAxis(overBatch, 1, 0.0, Double::sum);
    assertSameBits(overBatchAndTime.reshape(Shape.of(5)), Reductions.sumTo(t, Shape.of(5)));
    assertSameBits(overBatchAndTime, Reductions.sumTo(t, Shape.of(1, 1, 5)));
  }

  // Fused softmax kernels.

  @Property(tries = 100)
  void softmaxAlongTheLastAxisMatchesItsComposition(@ForAll("logits") Tensor t) {
    int last = t.rank() - 1;
    Tensor max = Reductions.maxKeepDims(t, last);
    Tensor shifted = Pointwise.sub(t, max);
    Tensor exponentials = Pointwise.exp(shifted);
    Tensor total = Reductions.sum(exponentials, last, true);

    assertSameBits(Pointwise.div(exponentials, total), Reductions.softmax(t, last));
    assertSameBits(Pointwise.sub(shifted, Pointwise.log(total)), Reductions.logSoftmax(t, last));
  }

  @Property(tries = 100)
  void softmaxAlongAnyAxisIsTheSameAsAlongTheLastOfTheTranspose(@ForAll("logits") Tensor t) {
    Tensor transposed = Layout.transpose(t, 0, t.rank() - 1);

    assertSameBits(
        Layout.transpose(Reductions.softmax(transposed, t.rank() - 1), 0, t.rank() - 1),
        Reductions.softmax(t, 0));
    assertSameBits(
        Layout.transpose(Reductions.logSoftmax(transposed, t.rank() - 1), 0, t.rank() - 1),
        Reductions.logSoftmax(t, 0));
  }

  @Property(tries = 100)
  void softmaxRowsSumToOneAndStayFiniteForLogitsOfAThousand(@ForAll("largeLogits") Tensor t) {
    for (int axis = 0; axis < t.rank(); axis++) {
      Tensor softmax = Reductions.softmax(t, axis);
      Tensor logSoftmax = Reductions.logSoftmax(t, axis);
      Tensor rowTotals = Reductions.sum(softmax, axis, false);
      Tensor logRowTotals = Reductions.sum(Pointwise.exp(logSoftmax), axis, false);

      assertTrue(
          rowTotals.allClose(Tensor.ones(rowTotals.shape()), 1e-12, 1e-12), rowTotals::toString);
      assertTrue(
          logRowTotals.allClose(Tensor.ones(rowTotals.shape()), 1e-12, 1e-12),
          logRowTotals::toString);
      for (double value : logSoftmax.toArray()) {
        assertTrue(Double.isFinite(value) && value <= 0, () -> logSoftmax.toString());
      }
    }
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

  @Provide
  Arbitrary<Tensor> tensors() {
    return TensorArbitraries.tensors(TensorArbitraries.shapes(0, 4, 5), -3, 3);
  }

  @Provide
  Arbitrary<Tensor> logits() {
    return TensorArbitraries.tensors(TensorArbitraries.shapes(1, 3, 6), -30, 30);
  }

  @Provide
  Arbitrary<Tensor> largeLogits() {
    Arbitrary<Shape> shapes = TensorArbitraries.shapes(1, 3, 6);
    return shapes.flatMap(
        shape ->
            Arbitraries.of(-1000.0, 1000.0, 0.0, 999.0, -999.0)
                .list()
                .ofSize(shape.size())
                .map(values -> Tensor.of(shape, values.stream().mapToDouble(x -> x).toArray())));
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

  /**
   * Folds each line along {@code axis} from {@code initial}, in increasing order; keeps the axis.
   */
  private static Tensor alongAxis(
      Tensor t, int axis, double initial, BinaryOperator<Double> combine) {
    Shape shape = t.shape();
    int outer = Reductions.outerSize(shape, axis);
    int length = shape.dim(axis);
    int inner = Reductions.innerSize(shape, axis);
    double[] out = new double[outer * inner];
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        double accumulated = initial;
        for (int k = 0; k < length; k++) {
          accumulated = combine.apply(accumulated, t.data[(o * length + k) * inner + i]);
        }
        out[o * inner + i] = accumulated;
      }
    }
    return new Tensor(shape.withDim(axis, 1), out);
  }

  private static void assertSameBits(Tensor expected, Tensor actual) {
    assertEquals(expected.shape(), actual.shape());
    assertArrayEquals(expected.toArray(), actual.toArray(), () -> expected + " vs " + actual);
  }

  @Test
  void reductionsTakeNegativeAxesAndNameAnAxisOutOfRange() {
    Tensor t = Tensor.randomNormal(Shape.of(3, 5), 0.0, 1.0, new Random(5));

    assertEquals(Reductions.logSoftmax(t, 1), Reductions.logSoftmax(t, -1));
    assertEquals(Reductions.softmax(t, 1), Reductions.softmax(t, -1));
    assertEquals(Reductions.sum(t, 1, false), Reductions.sum(t, -1, false));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Reductions.softmax(t, 2));
    assertEquals("softmax: axis 2 is out of range for shape [3, 5]", e.getMessage());
  }
}
