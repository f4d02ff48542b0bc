package dev.rewind.datasets.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.datasets.ClassBatch;
import dev.rewind.datasets.text.Vocabulary;
import org.junit.jupiter.api.Test;

/** Note 000 (000_a414762ec7da5e42.txt), "An example – Language modelling". */
class HelloTest {

  @Test
  void vocabularyIsHeloInTheNotesOrder() {
    Vocabulary vocabulary = Hello.vocabulary();

    assertEquals(4, vocabulary.size());
    assertEquals("helo", vocabulary.decode(0, 1, 2, 3));
  }

  @Test
  void inputIsHellAndTargetIsEllo() {
    assertEquals("hell", Hello.inputText());
    assertEquals("ello", Hello.targetText());
  }

  @Test
  void batchHoldsHellOneHotAndElloAsIndices() {
    ClassBatch batch = Hello.batch();

    Tensor expectedInputs =
        Tensor.of(
            Shape.of(1, 4, 4),
            1,
            0,
            0,
            0, // h
            0,
            1,
            0,
            0, // e
            0,
            0,
            1,
            0, // l
            0,
            0,
            1,
            0); // l
    assertEquals(expectedInputs, batch.inputs());
    assertArrayEquals(new int[][] {{1, 2, 2, 3}}, batch.targetArray());
    assertEquals(Tensor.ones(1, 4), batch.mask());
  }

  @Test
  void targetsDecodeToEllo() {
    assertEquals("ello", Hello.vocabulary().decode(Hello.batch().targets().row(0)));
  }
}
