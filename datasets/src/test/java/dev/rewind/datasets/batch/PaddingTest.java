package dev.rewind.datasets.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.datasets.Indices;
import dev.rewind.datasets.SequenceBatch;
import java.util.List;
import org.junit.jupiter.api.Test;

class PaddingTest {

  @Test
  void threeSequencesOfLengthsTwoThreeOneArePaddedToThree() {
    List<Tensor> sequences =
        List.of(
            Tensor.of(Shape.of(2, 1), 1, 2),
            Tensor.of(Shape.of(3, 1), 3, 4, 5),
            Tensor.of(Shape.of(1, 1), 6));

    PaddedSequences padded = Padding.pad(sequences);

    assertEquals(Tensor.of(Shape.of(3, 3, 1), 1, 2, 0, 3, 4, 5, 6, 0, 0), padded.values());
    assertEquals(Tensor.of(Shape.of(3, 3), 1, 1, 0, 1, 1, 1, 1, 0, 0), padded.mask());
    assertArrayEquals(new int[] {2, 3, 1}, padded.lengths().toArray());
  }

  @Test
  void inputsAndTargetsOfDifferentLengthsAreRejectedNamingTheSequence() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Padding.batch(List.of(Tensor.zeros(3, 2)), List.of(Tensor.zeros(2, 1))));

    assertEquals(
        "padding: sequence 0 has inputs [3, 2] but targets [2, 1]; both must have the same steps",
        e.getMessage());
  }

  @Test
  void sequencesWithDifferentFeatureCountsAreRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Padding.pad(List.of(Tensor.zeros(3, 2), Tensor.zeros(3, 4))));

    assertEquals(
        "padding: sequence 1 has shape [3, 4] but sequence 0 has [3, 2]; each must be [time, 2]",
        e.getMessage());
  }

  @Test
  void batchPadsTargetsToTheInputLength() {
    SequenceBatch batch =
        Padding.batch(
            List.of(Tensor.ones(1, 2), Tensor.ones(3, 2)),
            List.of(Tensor.ones(1, 1), Tensor.ones(3, 1)));

    assertEquals(Tensor.of(Shape.of(2, 3, 1), 1, 0, 0, 1, 1, 1), batch.targets());
    assertEquals(Tensor.of(Shape.of(2, 3), 1, 0, 0, 1, 1, 1), batch.mask());
  }

  @Test
  void indexSequencesArePaddedWithTheFill() {
    Indices padded = Padding.padIndices(List.of(new int[] {4, 5}, new int[] {6}), 3, -1);

    assertArrayEquals(new int[][] {{4, 5, -1}, {6, -1, -1}}, padded.toArray());
  }

  @Test
  void aMaskThatIsNotOnesThenZerosIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Masks.lengths(Tensor.of(Shape.of(1, 3), 1, 0, 1)));

    assertEquals(
        "mask: row 0 is not ones then zeros: step 2 holds 1.0 after 1 ones", e.getMessage());
  }
}
