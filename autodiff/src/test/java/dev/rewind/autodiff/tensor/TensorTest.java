package dev.rewind.autodiff.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.autodiff.check.TensorArbitraries;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The tensor value type and its kernels, on examples small enough to compute by hand: factories,
 * immutability, equality, printing, broadcasting, and the Pointwise, Reductions, Layout and MatMul
 * kernels.
 */
class TensorTest {

  // Factories.

  @Test
  void zerosHoldOnlyZerosOfTheGivenShape() {
    Tensor zeros = Tensor.zeros(2, 3);

    assertEquals(Shape.of(2, 3), zeros.shape());
    assertArrayEquals(new double[6], zeros.toArray());
    assertEquals(zeros, Tensor.zeros(Shape.of(2, 3)));
  }

  @Test
  void onesHoldOnlyOnesOfTheGivenShape() {
    Tensor ones = Tensor.ones(3, 1);

    assertEquals(Shape.of(3, 1), ones.shape());
    assertArrayEquals(new double[] {1, 1, 1}, ones.toArray());
    assertEquals(ones, Tensor.ones(Shape.of(3, 1)));
  }

  @Test
  void fullRepeatsItsValue() {
    assertArrayEquals(
        new double[] {2.5, 2.5, 2.5, 2.5}, Tensor.full(Shape.of(2, 2), 2.5).toArray());
  }

  @Test
  void scalarHasRankZeroAndOneItem() {
    Tensor scalar = Tensor.scalar(2.5);

    assertEquals(0, scalar.rank());
    assertEquals(Shape.SCALAR, scalar.shape());
    assertEquals(1, scalar.size());
    assertEquals(2.5, scalar.item());
    assertEquals(2.5, scalar.get());
  }

  @Test
  void vectorHoldsItsValuesInOrder() {
    Tensor vector = Tensor.vector(1, 2, 3);

    assertEquals(Shape.of(3), vector.shape());
    assertEquals(3.0, vector.get(2));
    assertArrayEquals(new double[] {1, 2, 3}, vector.toArray());
  }

  @Test
  void matrixIsStoredRowMajor() {
    Tensor matrix = Tensor.matrix(new double[][] {{1, 2, 3}, {4, 5, 6}});

    assertEquals(Shape.of(2, 3), matrix.shape());
    assertEquals(4.0, matrix.get(1, 0));
    assertEquals(3.0, matrix.get(0, 2));
    assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, matrix.toArray());
  }

  @Test
  void matrixWithRaggedRowsIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Tensor.matrix(new double[][] {{1, 2}, {3}}));

    assertEquals("matrix: row 1 has 1 columns but row 0 has 2", e.getMessage());
  }

  @Test
  void rankThreeOfStacksTheBlocksAlongTheFirstAxis() {
    Tensor batch =
        Tensor.of(
            new double[][][] {
              {{1, 2, 3}, {4, 5, 6}},
              {{7, 8, 9}, {10, 11, 12}}
            });

    assertEquals(Shape.of(2, 2, 3), batch.shape());
    assertEquals(6.0, batch.get(0, 1, 2));
    assertEquals(7.0, batch.get(1, 0, 0));
    assertEquals(Pointwise.add(arange(2, 2, 3), Tensor.scalar(1)), batch);
  }

  @Test
  void rankThreeOfRejectsBlocksOfDifferentShapes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Tensor.of(new double[][][] {{{1, 2}}, {{1, 2}, {3, 4}}}));

    assertEquals("tensor: block 1 has shape [2, 2] but block 0 has [1, 2]", e.getMessage());
  }

  @Test
  void ofRejectsAWrongNumberOfValues() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(Shape.of(2, 2), 1, 2, 3));

    assertEquals("tensor: shape [2, 2] holds 4 elements but 3 values were given", e.getMessage());
  }

  @Test
  void randomNormalWithTheSameSeedGivesTheSameNumbers() {
    Tensor first = Tensor.randomNormal(Shape.of(4, 5), 0, 1, new Random(42));
    Tensor second = Tensor.randomNormal(Shape.of(4, 5), 0, 1, new Random(42));
    Tensor other = Tensor.randomNormal(Shape.of(4, 5), 0, 1, new Random(43));

    assertEquals(first, second);
    assertNotEquals(first, other);
  }

  @Test
  void randomNormalHasTheRequestedMeanAndSpread() {
    Tensor samples = Tensor.randomNormal(Shape.of(20_000), 3.0, 0.5, new Random(7));
    double mean = Reductions.sum(samples).item() / samples.size();
    Tensor centred = Pointwise.sub(samples, Tensor.scalar(mean));
    double std = Reductions.norm(centred) / Math.sqrt(samples.size());

    // Standard errors are 0.5/sqrt(20000) = 0.0035 for the mean and about 0.0025 for the spread.
    assertEquals(3.0, mean, 0.02);
    assertEquals(0.5, std, 0.02);
  }

  @Test
  void randomUniformWithTheSameSeedGivesTheSameNumbers() {
    Tensor first = Tensor.randomUniform(Shape.of(3, 3), -1, 1, new Random(1));
    Tensor second = Tensor.randomUniform(Shape.of(3, 3), -1, 1, new Random(1));
    Tensor other = Tensor.randomUniform(Shape.of(3, 3), -1, 1, new Random(2));

    assertEquals(first, second);
    assertNotEquals(first, other);
  }

  @Test
  void randomUniformStaysInItsHalfOpenRange() {
    Tensor samples = Tensor.randomUniform(Shape.of(10_000), -2, 3, new Random(5));
    double low = Double.POSITIVE_INFINITY;
    double high = Double.NEGATIVE_INFINITY;
    for (double value : samples.toArray()) {
      low = Math.min(low, value);
      high = Math.max(high, value);
    }

    assertTrue(low >= -2 && low < -1.99, "smallest " + low);
    assertTrue(high < 3 && high > 2.99, "largest " + high);
  }

  @Test
  void randomUniformRejectsLowAboveHigh() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Tensor.randomUniform(Shape.of(2), 1, 0, new Random(0)));

    assertEquals("randomUniform: low 1.0 is above high 0.0", e.getMessage());
  }

  // Immutability.

  @Test
  void ofCopiesItsInput() {
    double[] values = {1, 2, 3, 4};
    Tensor tensor = Tensor.of(Shape.of(2, 2), values);

    values[0] = 99;

    assertEquals(1.0, tensor.get(0, 0));
  }

  @Test
  void vectorAndMatrixCopyTheirInput() {
    double[] values = {1, 2};
    double[][] rows = {{1, 2}, {3, 4}};
    double[][][] blocks = {{{1, 2}}};
    Tensor vector = Tensor.vector(values);
    Tensor matrix = Tensor.matrix(rows);
    Tensor batch = Tensor.of(blocks);

    values[0] = 99;
    rows[1][1] = 99;
    blocks[0][0][1] = 99;

    assertEquals(Tensor.of(Shape.of(2), 1, 2), vector);
    assertEquals(Tensor.of(Shape.of(2, 2), 1, 2, 3, 4), matrix);
    assertEquals(Tensor.of(Shape.of(1, 1, 2), 1, 2), batch);
  }

  @Test
  void toArrayReturnsACopy() {
    Tensor tensor = Tensor.vector(1, 2, 3);

    tensor.toArray()[0] = 99;

    assertEquals(1.0, tensor.get(0));
  }

  @Test
  void withFlatLeavesTheOriginalUnchanged() {
    Tensor original = Tensor.vector(1, 2, 3);

    Tensor changed = original.withFlat(1, 20);

    assertEquals(Tensor.vector(1, 20, 3), changed);
    assertEquals(Tensor.vector(1, 2, 3), original);
  }

  @Test
  void kernelsLeaveTheirInputsUnchanged() {
    Tensor a = arange(2, 3);
    Tensor b = Tensor.vector(10, 20, 30);

    assertEquals(Shape.of(2, 3), Pointwise.add(a, b).shape());
    assertEquals(Shape.of(3, 2), Layout.transpose(a, 0, 1).shape());
    assertEquals(Shape.of(3), Reductions.sum(a, 0, false).shape());
    assertEquals(Shape.of(3, 3), Layout.concat(List.of(a, b.reshape(Shape.of(1, 3))), 0).shape());

    assertEquals(arange(2, 3), a);
    assertEquals(Tensor.vector(10, 20, 30), b);
  }

  // Access.

  @Test
  void getWithTheWrongNumberOfCoordinatesNamesTheShape() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> arange(2, 3).get(1));

    assertEquals(
        "get: index [1] has 1 coordinates but the tensor has shape [2, 3]", e.getMessage());
  }

  @Test
  void getOutOfRangeIsAnIndexError() {
    assertThrows(IndexOutOfBoundsException.class, () -> arange(2, 3).get(0, 3));
    assertThrows(IndexOutOfBoundsException.class, () -> arange(2, 3).getFlat(6));
  }

  @Test
  void itemOfSeveralElementsNamesTheShape() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Tensor.vector(1, 2).item());

    assertEquals("item: tensor of shape [2] has 2 elements, not 1", e.getMessage());
  }

  @Test
  void isFiniteIsFalseForNanAndInfinity() {
    assertTrue(Tensor.vector(1, -1e300).isFinite());
    assertFalse(Tensor.vector(1, Double.NaN).isFinite());
    assertFalse(Tensor.vector(Double.NEGATIVE_INFINITY, 1).isFinite());
  }

  // Equality.

  @Test
  void equalShapesAndElementsMakeEqualTensors() {
    Tensor a = Tensor.matrix(new double[][] {{1, 2}, {3, 4}});
    Tensor b = Tensor.of(Shape.of(2, 2), 1, 2, 3, 4);

    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(Tensor.of(Shape.of(2, 2), 1, 2, 3, 5), a);
  }

  @Test
  void sameElementsUnderAnotherShapeAreNotEqual() {
    assertNotEquals(Tensor.vector(1, 2, 3, 4), Tensor.of(Shape.of(2, 2), 1, 2, 3, 4));
    assertNotEquals(Tensor.scalar(1), Tensor.vector(1));
  }

  @Test
  void equalityComparesElementsAsDoubleEqualsDoes() {
    assertEquals(Tensor.scalar(Double.NaN), Tensor.scalar(Double.NaN));
    assertNotEquals(Tensor.scalar(0.0), Tensor.scalar(-0.0));
  }

  @Property(tries = 50)
  void reshapingThereAndBackGivesAnEqualTensorAndHash(@ForAll("matrices") Tensor t) {
    Tensor flat = t.reshape(Shape.of(t.size()));
    Tensor back = flat.reshape(t.shape());

    assertEquals(t, back);
    assertEquals(t.hashCode(), back.hashCode());
    assertArrayEquals(t.toArray(), flat.toArray());
  }

  // allClose.

  @Test
  void allCloseAcceptsDifferencesWithinAbsoluteAndRelativeTolerance() {
    Tensor expected = Tensor.vector(1, 100);

    assertTrue(Tensor.vector(1 + 5e-7, 100).allClose(expected, 0, 1e-6));
    assertFalse(Tensor.vector(1 + 2e-6, 100).allClose(expected, 0, 1e-6));
    assertTrue(Tensor.vector(1, 100 + 5e-5).allClose(expected, 1e-6, 0));
    assertFalse(Tensor.vector(1, 100 + 2e-4).allClose(expected, 1e-6, 0));
  }

  @Test
  void allCloseIsFalseForDifferentShapes() {
    assertFalse(Tensor.vector(1, 2).allClose(Tensor.of(Shape.of(1, 2), 1, 2), 1, 1));
  }

  @Test
  void nanIsNeverClose() {
    assertFalse(Tensor.scalar(Double.NaN).allClose(Tensor.scalar(Double.NaN), 1, 1));
    assertFalse(Tensor.scalar(1).allClose(Tensor.scalar(Double.NaN), 1, 1));
  }

  // Printing.

  @Test
  void smallMatrixPrintsInFull() {
    Tensor matrix = Tensor.matrix(new double[][] {{1, 2}, {3, 4}});

    assertEquals("Tensor[2, 2] [[1, 2], [3, 4]]", matrix.toString());
  }

  @Test
  void scalarPrintsItsShapeAndValue() {
    assertEquals("Tensor[] 7", Tensor.scalar(7).toString());
    assertEquals("Tensor[] -1.5", Tensor.scalar(-1.5).toString());
    assertEquals("Tensor[2] [0.333333, 2.5e-07]", Tensor.vector(1.0 / 3, 2.5e-7).toString());
  }

  @Test
  void rankThreePrintsNested() {
    assertEquals("Tensor[2, 1, 2] [[[0, 1]], [[2, 3]]]", arange(2, 1, 2).toString());
  }

  @Test
  void nonFiniteValuesPrintByName() {
    assertEquals(
        "Tensor[3] [NaN, Infinity, -Infinity]",
        Tensor.vector(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY).toString());
  }

  @Test
  void largeTensorPrintsItsShapeAndFirstValues() {
    String printed = arange(10, 10).toString();

    assertEquals("Tensor[10, 10] [0, 1, 2, 3, 4, 5, 6, 7, ...]", printed);
  }

  @Test
  void abbreviationStartsAbove64Elements() {
    assertFalse(arange(64).toString().contains("..."));
    assertTrue(arange(65).toString().contains("..."));
  }

  // Reshape.

  @Test
  void reshapeKeepsTheRowMajorOrder() {
    Tensor reshaped = arange(2, 3).reshape(Shape.of(3, 2));

    assertEquals(Shape.of(3, 2), reshaped.shape());
    assertEquals(2.0, reshaped.get(1, 0));
  }

  @Test
  void reshapeToAnotherSizeNamesBothShapesAndSizes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> arange(2, 3).reshape(Shape.of(4)));

    assertEquals("reshape: [2, 3] to [4]: sizes 6 and 4 differ", e.getMessage());
  }

  // Pointwise.

  @Test
  void addBroadcastsARowOverEachRowOfAMatrix() {
    Tensor sum = Pointwise.add(arange(2, 3), Tensor.vector(10, 20, 30));

    assertEquals(Tensor.matrix(new double[][] {{10, 21, 32}, {13, 24, 35}}), sum);
  }

  @Test
  void mulOfAColumnAndARowIsTheOuterProduct() {
    Tensor column = Tensor.of(Shape.of(2, 1), 1, 2);
    Tensor row = Tensor.of(Shape.of(1, 3), 3, 4, 5);

    assertEquals(Tensor.matrix(new double[][] {{3, 4, 5}, {6, 8, 10}}), Pointwise.mul(column, row));
  }

  @Test
  void subAndDivBroadcastAScalar() {
    Tensor t = Tensor.vector(2, 4, 8);

    assertEquals(Tensor.vector(0, 2, 6), Pointwise.sub(t, Tensor.scalar(2)));
    assertEquals(Tensor.vector(1, 2, 4), Pointwise.div(t, Tensor.scalar(2)));
    assertEquals(Tensor.vector(4, 2, 1), Pointwise.div(Tensor.scalar(8), t));
  }

  @Test
  void incompatibleShapesNameTheOpAndBothShapes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Pointwise.add(arange(2, 3), Tensor.vector(1, 2, 3, 4)));

    assertEquals(
        "add: [2, 3] and [4] do not broadcast: dimensions 3 and 4 differ and neither is 1",
        e.getMessage());
    IllegalArgumentException zip =
        assertThrows(
            IllegalArgumentException.class,
            () -> Pointwise.zip(arange(2), arange(3), Math::max, "maximum"));
    assertTrue(zip.getMessage().startsWith("maximum: [2] and [3]"), zip.getMessage());
  }

  @Test
  void unaryKernelsApplyElementByElement() {
    Tensor t = Tensor.vector(-2, 0, 4);

    assertEquals(Tensor.vector(2, 0, 4), Pointwise.abs(t));
    assertEquals(Tensor.vector(0, 0, 4), Pointwise.relu(t));
    assertEquals(Tensor.vector(-1, 0, 1), Pointwise.sign(t));
    assertEquals(Tensor.vector(0, 0, 1), Pointwise.positiveMask(t));
    assertEquals(Tensor.vector(-1, 0, 1), Pointwise.clamp(t, -1, 1));
    assertEquals(Tensor.vector(4, 0, 16), Pointwise.pow(t, 2));
    assertEquals(Tensor.vector(-8, 0, 64), Pointwise.pow(t, 3));
    assertEquals(Tensor.vector(-6, 0, 12), Pointwise.scale(t, 3));
    assertEquals(Tensor.vector(0, 2), Pointwise.sqrt(Tensor.vector(0, 4)));
  }

  @Test
  void sigmoidIsFiniteAndExactAtLargeMagnitudes() {
    Tensor s = Pointwise.sigmoid(Tensor.vector(-1000, 0, 1000));

    assertEquals(Tensor.vector(0, 0.5, 1), s);
  }

  @Test
  void winnerWeightSplitsTies() {
    assertEquals(
        Tensor.vector(1, 0, 0.5),
        Pointwise.winnerWeight(Tensor.vector(2, 1, 3), Tensor.vector(1, 2, 3)));
  }

  // Reductions.

  @Test
  void sumOfEveryElementIsAScalar() {
    assertEquals(Tensor.scalar(15), Reductions.sum(arange(2, 3)));
  }

  @Test
  void sumOverAnAxisDropsItUnlessKept() {
    Tensor t = arange(2, 3);

    assertEquals(Tensor.vector(3, 5, 7), Reductions.sum(t, 0, false));
    assertEquals(Tensor.of(Shape.of(1, 3), 3, 5, 7), Reductions.sum(t, 0, true));
    assertEquals(Tensor.vector(3, 12), Reductions.sum(t, 1, false));
    assertEquals(Tensor.of(Shape.of(2, 1), 3, 12), Reductions.sum(t, 1, true));
  }

  @Test
  void sumOverTheMiddleAxisOfARankThreeTensor() {
    // arange(2, 3, 2): block 0 rows (0 1) (2 3) (4 5), block 1 rows (6 7) (8 9) (10 11).
    Tensor sum = Reductions.sum(arange(2, 3, 2), 1, false);

    assertEquals(Tensor.matrix(new double[][] {{6, 9}, {24, 27}}), sum);
  }

  @Test
  void maxKeepDimsTakesTheLargestAlongTheAxis() {
    Tensor t = Tensor.matrix(new double[][] {{1, 5, 2}, {7, -1, 3}});

    assertEquals(Tensor.of(Shape.of(2, 1), 5, 7), Reductions.maxKeepDims(t, 1));
    assertEquals(Tensor.of(Shape.of(1, 3), 7, 5, 3), Reductions.maxKeepDims(t, 0));
  }

  @Test
  void sumToReversesBroadcasting() {
    Tensor t = arange(2, 3);

    assertEquals(Tensor.vector(3, 5, 7), Reductions.sumTo(t, Shape.of(3)));
    assertEquals(Tensor.of(Shape.of(2, 1), 3, 12), Reductions.sumTo(t, Shape.of(2, 1)));
    assertEquals(Tensor.scalar(15), Reductions.sumTo(t, Shape.SCALAR));
    assertEquals(t, Reductions.sumTo(t, Shape.of(2, 3)));
    // Leading axes go, and a kept size-1 axis is summed too: [2, 2, 3] to [1, 3].
    assertEquals(
        Tensor.of(Shape.of(1, 3), 18, 22, 26), Reductions.sumTo(arange(2, 2, 3), Shape.of(1, 3)));
  }

  @Test
  void sumToAShapeThatDoesNotBroadcastIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Reductions.sumTo(arange(2, 3), Shape.of(2)));

    assertEquals("sumTo: [2] does not broadcast to [2, 3]", e.getMessage());
  }

  @Test
  void normIsEuclideanAndDoesNotOverflow() {
    assertEquals(5.0, Reductions.norm(Tensor.vector(3, -4)));
    assertEquals(5e200, Reductions.norm(Tensor.vector(3e200, 4e200)), 1e186);
    assertEquals(0.0, Reductions.norm(Tensor.zeros(3)));
  }

  @Test
  void dotSumsElementwiseProducts() {
    assertEquals(32.0, Reductions.dot(Tensor.vector(1, 2, 3), Tensor.vector(4, 5, 6)));
  }

  // Layout.

  @Test
  void broadcastToRepeatsAlongSizeOneAndMissingAxes() {
    assertEquals(
        Tensor.matrix(new double[][] {{1, 2, 3}, {1, 2, 3}}),
        Layout.broadcastTo(Tensor.vector(1, 2, 3), Shape.of(2, 3)));
    assertEquals(
        Tensor.matrix(new double[][] {{1, 1, 1}, {2, 2, 2}}),
        Layout.broadcastTo(Tensor.of(Shape.of(2, 1), 1, 2), Shape.of(2, 3)));
    assertEquals(
        Tensor.full(Shape.of(2, 2), 5), Layout.broadcastTo(Tensor.scalar(5), Shape.of(2, 2)));
  }

  @Test
  void broadcastToAnIncompatibleShapeNamesBothShapes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Layout.broadcastTo(Tensor.vector(1, 2), Shape.of(2, 3)));

    assertEquals("broadcastTo: [2] does not broadcast to [2, 3]", e.getMessage());
  }

  @Test
  void transposeOfAMatrixSwapsRowsAndColumns() {
    Tensor transposed = Layout.transpose(arange(2, 3), 0, 1);

    assertEquals(Tensor.matrix(new double[][] {{0, 3}, {1, 4}, {2, 5}}), transposed);
  }

  @Test
  void transposeOfTheOuterAxesOfARankThreeTensor() {
    Tensor t = arange(2, 3, 4);

    Tensor transposed = Layout.transpose(t, 0, 2);

    assertEquals(Shape.of(4, 3, 2), transposed.shape());
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        for (int k = 0; k < 4; k++) {
          assertEquals(t.get(i, j, k), transposed.get(k, j, i));
        }
      }
    }
  }

  @Test
  void concatJoinsAlongEitherAxis() {
    Tensor a = arange(2, 2);
    Tensor b = Tensor.matrix(new double[][] {{7}, {8}});
    Tensor c = Tensor.matrix(new double[][] {{5, 6}});

    assertEquals(
        Tensor.matrix(new double[][] {{0, 1, 7}, {2, 3, 8}}), Layout.concat(List.of(a, b), 1));
    assertEquals(
        Tensor.matrix(new double[][] {{0, 1}, {2, 3}, {5, 6}}), Layout.concat(List.of(a, c), 0));
  }

  @Test
  void sliceTakesAHalfOpenRangeAlongAnAxis() {
    Tensor t = arange(2, 4);

    assertEquals(Tensor.matrix(new double[][] {{1, 2}, {5, 6}}), Layout.slice(t, 1, 1, 3));
    assertEquals(Tensor.matrix(new double[][] {{4, 5, 6, 7}}), Layout.slice(t, 0, 1, 2));
    assertEquals(Shape.of(2, 0), Layout.slice(t, 1, 2, 2).shape());
  }

  @Test
  void padSurroundsWithZeros() {
    Tensor t = Tensor.matrix(new double[][] {{1, 2}, {3, 4}});

    assertEquals(
        Tensor.matrix(new double[][] {{0, 1, 2, 0, 0}, {0, 3, 4, 0, 0}}), Layout.pad(t, 1, 1, 2));
    assertEquals(Tensor.matrix(new double[][] {{0, 0}, {1, 2}, {3, 4}}), Layout.pad(t, 0, 1, 0));
  }

  @Test
  void gatherRowsLooksUpRowsIncludingRepeats() {
    Tensor table = arange(3, 2);

    Tensor rows = Layout.gatherRows(table, new int[] {2, 0, 2});

    assertEquals(Tensor.matrix(new double[][] {{4, 5}, {0, 1}, {4, 5}}), rows);
  }

  @Test
  void gatherRowsOutOfRangeNamesTheIndexAndTheRange() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Layout.gatherRows(arange(3, 2), new int[] {0, 3}));

    assertEquals("gather: index 3 at position 1 is out of range [0, 3)", e.getMessage());
  }

  @Test
  void scatterAddRowsAccumulatesRepeatedIndices() {
    Tensor rows = Tensor.matrix(new double[][] {{1, 2}, {3, 4}, {5, 6}});

    Tensor table = Layout.scatterAddRows(rows, new int[] {2, 0, 2}, 4);

    assertEquals(Tensor.matrix(new double[][] {{3, 4}, {0, 0}, {6, 8}, {0, 0}}), table);
  }

  @Test
  void gatherAndScatterOfNoIndicesKeepTheRowWidth() {
    Tensor none = Layout.gatherRows(arange(3, 2), new int[0]);

    assertEquals(Shape.of(0, 2), none.shape());
    assertEquals(Tensor.zeros(3, 2), Layout.scatterAddRows(none, new int[0], 3));
  }

  @Test
  void oneHotPutsAOneInTheIndexedColumn() {
    assertEquals(
        Tensor.matrix(new double[][] {{0, 1, 0}, {0, 0, 1}, {0, 1, 0}}),
        Layout.oneHot(new int[] {1, 2, 1}, 3));
  }

  @Test
  void oneHotOutOfRangeNamesTheIndexAndTheRange() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Layout.oneHot(new int[] {0, -1}, 3));

    assertEquals("oneHot: index -1 at position 1 is out of range [0, 3)", e.getMessage());
  }

  @Test
  void whereChoosesByABroadcastCondition() {
    Tensor condition = Tensor.vector(1, 0, 1);
    Tensor a = arange(2, 3);
    Tensor b = Tensor.scalar(-1);

    assertEquals(
        Tensor.matrix(new double[][] {{0, -1, 2}, {3, -1, 5}}), Layout.where(condition, a, b));
  }

  @Test
  void maskedSelectReadsTheMaskedElementsInRowMajorOrder() {
    Tensor t = arange(2, 3);
    Tensor mask = Tensor.matrix(new double[][] {{1, 0, 1}, {0, 0, 2}});

    assertEquals(Tensor.vector(0, 2, 5), Layout.maskedSelect(t, mask));
  }

  @Test
  void maskedScatterPutsValuesBackAndZerosElsewhere() {
    Tensor mask = Tensor.matrix(new double[][] {{1, 0, 1}, {0, 0, 2}});

    assertEquals(
        Tensor.matrix(new double[][] {{7, 0, 8}, {0, 0, 9}}),
        Layout.maskedScatter(Tensor.vector(7, 8, 9), mask));
  }

  // MatMul.

  @Test
  void matmulOfTwoMatrices() {
    Tensor a = Tensor.matrix(new double[][] {{1, 2, 3}, {4, 5, 6}});
    Tensor b = Tensor.matrix(new double[][] {{7, 8}, {9, 10}, {11, 12}});

    assertEquals(Tensor.matrix(new double[][] {{58, 64}, {139, 154}}), MatMul.matmul(a, b));
  }

  @Test
  void matmulWithALongInnerDimensionSumsEveryTerm() {
    // Six terms: the kernel's four-at-a-time loop and its remainder both contribute.
    Tensor row = Tensor.of(Shape.of(1, 6), 1, 2, 3, 4, 5, 6);
    Tensor column = Tensor.of(Shape.of(6, 1), 1, 1, 1, 1, 1, 10);

    assertEquals(Tensor.of(Shape.of(1, 1), 75), MatMul.matmul(row, column));
  }

  @Test
  void batchedMatmulMultipliesEachPair() {
    Tensor a = Tensor.of(new double[][][] {{{1, 2}}, {{3, 4}}});
    Tensor b = Tensor.of(new double[][][] {{{1}, {1}}, {{2}, {-1}}});

    assertEquals(Tensor.of(Shape.of(2, 1, 1), 3, 2), MatMul.matmul(a, b));
  }

  @Test
  void batchAgainstOneMatrixSharesIt() {
    Tensor a = Tensor.of(new double[][][] {{{1, 2}}, {{3, 4}}});
    Tensor b = Tensor.matrix(new double[][] {{1, 0, 1}, {0, 1, 1}});

    assertEquals(Tensor.of(Shape.of(2, 1, 3), 1, 2, 3, 3, 4, 7), MatMul.matmul(a, b));
  }

  @Test
  void matmulOverAnEmptyInnerDimensionIsZero() {
    assertEquals(Tensor.zeros(2, 3), MatMul.matmul(Tensor.zeros(2, 0), Tensor.zeros(0, 3)));
    assertEquals(Tensor.zeros(2, 1, 3), MatMul.matmul(Tensor.zeros(2, 1, 0), Tensor.zeros(0, 3)));
  }

  // Properties of the layout kernels.

  @Property(tries = 50)
  void transposingTwiceGivesTheOriginal(@ForAll("matrices") Tensor t) {
    assertEquals(t, Layout.transpose(Layout.transpose(t, 0, 1), 0, 1));
  }

  @Property(tries = 50)
  void slicingAPaddedTensorGivesTheOriginal(@ForAll("matrices") Tensor t) {
    for (int axis = 0; axis < 2; axis++) {
      Tensor padded = Layout.pad(t, axis, 2, 1);
      assertEquals(t, Layout.slice(padded, axis, 2, 2 + t.shape().dim(axis)));
      assertEquals(Reductions.sum(t).item(), Reductions.sum(padded).item(), 1e-12);
    }
  }

  @Property(tries = 50)
  void concatenatingTheSlicesGivesTheOriginal(@ForAll("matrices") Tensor t) {
    int split = t.shape().dim(1) / 2;
    Tensor left = Layout.slice(t, 1, 0, split);
    Tensor right = Layout.slice(t, 1, split, t.shape().dim(1));

    assertEquals(t, Layout.concat(List.of(left, right), 1));
  }

  @Property(tries = 50)
  void sumToOfABroadcastMultipliesByTheRepeats(@ForAll("broadcasts") List<Tensor> pair) {
    Tensor small = pair.get(0);
    Shape full = pair.get(1).shape();
    int repeats = full.size() / small.size();

    Tensor roundTrip = Reductions.sumTo(Layout.broadcastTo(small, full), small.shape());

    assertTrue(
        roundTrip.allClose(Pointwise.scale(small, repeats), 1e-12, 1e-12),
        () -> roundTrip + " vs " + small + " x " + repeats);
  }

  @Property(tries = 50)
  void sumToKeepsTheTotal(@ForAll("broadcasts") List<Tensor> pair) {
    Tensor big = pair.get(1);
    Shape small = pair.get(0).shape();

    double total = Reductions.sum(Reductions.sumTo(big, small)).item();

    assertEquals(Reductions.sum(big).item(), total, 1e-9);
  }

  @Provide
  Arbitrary<Tensor> matrices() {
    return TensorArbitraries.tensors(TensorArbitraries.shapes(2, 2, 5), -3, 3);
  }

  /** A tensor of a shape that broadcasts to the second tensor's shape, and that second tensor. */
  @Provide
  Arbitrary<List<Tensor>> broadcasts() {
    return TensorArbitraries.broadcastablePairs(3, 4)
        .flatMap(
            shapes -> {
              boolean firstIsSmall = shapes.get(0).broadcastsTo(shapes.get(1));
              Shape small = firstIsSmall ? shapes.get(0) : shapes.get(1);
              Shape full = firstIsSmall ? shapes.get(1) : shapes.get(0);
              return Combinators.combine(
                      TensorArbitraries.tensors(small, -2, 2),
                      TensorArbitraries.tensors(full, -2, 2))
                  .as(List::of);
            });
  }

  /** The numbers 0, 1, 2, ... in row-major order. */
  private static Tensor arange(int... dims) {
    Shape shape = Shape.of(dims);
    double[] values = new double[shape.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = i;
    }
    return Tensor.of(shape, values);
  }
}
