package dev.rewind.autodiff.check;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;

/**
 * jqwik generators of shapes and well-conditioned tensors, for property tests of ops and cells:
 * values are bounded (no overflow), can be kept off kinks such as 0 for {@code abs} and {@code
 * relu}, and can be kept positive where {@code log} and {@code sqrt} need it.
 *
 * <pre>{@code
 * @Property(tries = 50)
 * void myCellGradientIsRight(@ForAll("inputs") Tensor x) { ... }
 *
 * @Provide
 * Arbitrary<Tensor> inputs() {
 *   return TensorArbitraries.tensors(TensorArbitraries.shapes(2, 2, 4), -2, 2);
 * }
 * }</pre>
 *
 * <p>Needs {@code net.jqwik:jqwik} on the test class path; the rest of Rewind does not.
 */
public final class TensorArbitraries {
  private TensorArbitraries() {}

  /** Shapes of rank {@code minRank..maxRank}, each dimension in {@code 1..maxDim}. */
  public static Arbitrary<Shape> shapes(int minRank, int maxRank, int maxDim) {
    checkArgument(0 <= minRank && minRank <= maxRank, "shapes: ranks %s..%s", minRank, maxRank);
    checkArgument(maxDim >= 1, "shapes: maxDim %s must be at least 1", maxDim);
    return Arbitraries.integers()
        .between(1, maxDim)
        .list()
        .ofMinSize(minRank)
        .ofMaxSize(maxRank)
        .map(dims -> Shape.of(dims.stream().mapToInt(Integer::intValue).toArray()));
  }

  /** Tensors of {@code shape} with elements uniformly in {@code [low, high]}. */
  public static Arbitrary<Tensor> tensors(Shape shape, double low, double high) {
    return values(low, high)
        .list()
        .ofSize(shape.size())
        .map(values -> Tensor.of(shape, unbox(values)));
  }

  /** Tensors of any generated shape with elements in {@code [low, high]}. */
  public static Arbitrary<Tensor> tensors(Arbitrary<Shape> shapes, double low, double high) {
    return shapes.flatMap(shape -> tensors(shape, low, high));
  }

  /**
   * Tensors whose elements lie in {@code [margin, bound]} or {@code [-bound, -margin]}: away from
   * the kink at 0 of {@code abs}, {@code relu} and the sign function.
   */
  public static Arbitrary<Tensor> awayFromZero(Shape shape, double margin, double bound) {
    checkArgument(0 < margin && margin < bound, "awayFromZero: margin %s, bound %s", margin, bound);
    Arbitrary<Double> magnitude = values(margin, bound);
    Arbitrary<Double> signed =
        Combinators.combine(magnitude, Arbitraries.of(-1.0, 1.0)).as((m, s) -> m * s);
    return signed.list().ofSize(shape.size()).map(values -> Tensor.of(shape, unbox(values)));
  }

  /**
   * Tensors with every element in {@code [low, high]}, {@code low > 0}: for log, sqrt, division.
   */
  public static Arbitrary<Tensor> positive(Shape shape, double low, double high) {
    checkArgument(0 < low && low <= high, "positive: range [%s, %s]", low, high);
    return tensors(shape, low, high);
  }

  /**
   * Pairs of shapes that broadcast together: the second is the first with some dimensions set to 1
   * and some leading ones dropped, and the two are returned in either order.
   */
  public static Arbitrary<List<Shape>> broadcastablePairs(int maxRank, int maxDim) {
    return shapes(1, maxRank, maxDim)
        .flatMap(
            full -> {
              Arbitrary<List<Boolean>> ones =
                  Arbitraries.of(true, false).list().ofSize(full.rank());
              Arbitrary<Integer> dropped = Arbitraries.integers().between(0, full.rank());
              return Combinators.combine(ones, dropped, Arbitraries.of(true, false))
                  .as(
                      (setToOne, drop, swap) -> {
                        int[] dims = full.toArray();
                        for (int i = 0; i < dims.length; i++) {
                          dims[i] = setToOne.get(i) ? 1 : dims[i];
                        }
                        Shape reduced =
                            Shape.of(java.util.Arrays.copyOfRange(dims, drop, dims.length));
                        return swap ? List.of(reduced, full) : List.of(full, reduced);
                      });
            });
  }

  /**
   * Doubles drawn uniformly from {@code [low, high]} with 12 decimal places. jqwik's default keeps
   * 2 places and favours the bounds, which makes ties and exact zeros common: the very points where
   * derivatives have kinks or vanish.
   */
  private static Arbitrary<Double> values(double low, double high) {
    return Arbitraries.doubles()
        .between(low, high)
        .ofScale(12)
        .withDistribution(RandomDistribution.uniform());
  }

  private static double[] unbox(List<Double> values) {
    double[] result = new double[values.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = values.get(i);
    }
    return result;
  }
}
