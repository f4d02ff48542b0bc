package dev.rewind.layers.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.MatMul;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.Random;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The initialisers are seeded, stay in their bounds, and orthogonal means orthogonal. */
class InitializersProperties {

  @Property(tries = 30, edgeCases = EdgeCasesMode.NONE)
  void theSameSeedGivesTheSameTensor(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 6) int rows,
      @ForAll @IntRange(min = 1, max = 6) int columns) {
    Shape shape = Shape.of(rows, columns);

    assertEquals(
        Initializers.uniformRecurrent(shape, columns, new Random(seed)),
        Initializers.uniformRecurrent(shape, columns, new Random(seed)));
    assertEquals(
        Initializers.glorotUniform(rows, columns, new Random(seed)),
        Initializers.glorotUniform(rows, columns, new Random(seed)));
    assertEquals(
        Initializers.orthogonal(rows, new Random(seed)),
        Initializers.orthogonal(rows, new Random(seed)));
  }

  @Property(tries = 10, edgeCases = EdgeCasesMode.NONE)
  void differentSeedsGiveDifferentTensors(@ForAll long seed) {
    Shape shape = Shape.of(3, 4);

    assertNotEquals(
        Initializers.uniformRecurrent(shape, 4, new Random(seed)),
        Initializers.uniformRecurrent(shape, 4, new Random(seed + 1)));
    assertNotEquals(
        Initializers.orthogonal(4, new Random(seed)),
        Initializers.orthogonal(4, new Random(seed + 1)));
  }

  @Property(tries = 40, edgeCases = EdgeCasesMode.NONE)
  void orthogonalHasOrthonormalRowsAndColumns(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 64) int n) {
    Tensor q = Initializers.orthogonal(n, new Random(seed));
    Tensor qt = Layout.transpose(q, 0, 1);

    assertEquals(Shape.of(n, n), q.shape());
    assertIdentity(MatMul.matmul(qt, q), 1e-12);
    assertIdentity(MatMul.matmul(q, qt), 1e-12);
  }

  @Property(tries = 30, edgeCases = EdgeCasesMode.NONE)
  void uniformRecurrentStaysWithinOneOverRootHidden(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 50) int hidden) {
    Tensor t = Initializers.uniformRecurrent(Shape.of(200, hidden), hidden, new Random(seed));
    double bound = 1 / Math.sqrt(hidden);

    assertWithinAndSpreadOver(t, bound);
  }

  @Property(tries = 30, edgeCases = EdgeCasesMode.NONE)
  void glorotStaysWithinItsBound(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 30) int fanIn,
      @ForAll @IntRange(min = 1, max = 30) int fanOut) {
    Tensor t = Initializers.glorotUniform(fanIn, fanOut, new Random(seed));
    double bound = Math.sqrt(6.0 / (fanIn + fanOut));

    assertEquals(Shape.of(fanIn, fanOut), t.shape());
    assertWithinAndSpreadOver(
        Initializers.glorotUniform(fanIn + 200, fanOut, new Random(seed)),
        Math.sqrt(6.0 / (fanIn + 200 + fanOut)));
    for (double x : t.toArray()) {
      assertTrue(Math.abs(x) <= bound, () -> x + " outside ±" + bound);
    }
  }

  /** Every element within ±bound, and the extremes reach past 80% of it on both sides. */
  private static void assertWithinAndSpreadOver(Tensor t, double bound) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double x : t.toArray()) {
      assertTrue(Math.abs(x) <= bound, () -> x + " outside ±" + bound);
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    assertTrue(min < -0.8 * bound && max > 0.8 * bound, "min " + min + ", max " + max);
  }

  private static void assertIdentity(Tensor product, double tolerance) {
    int n = product.shape().dim(0);
    double worst = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        worst = Math.max(worst, Math.abs(product.get(i, j) - (i == j ? 1 : 0)));
      }
    }
    assertTrue(worst <= tolerance, "largest deviation from I: " + worst);
  }
}
