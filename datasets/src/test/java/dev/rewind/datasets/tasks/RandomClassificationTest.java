package dev.rewind.datasets.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.datasets.ClassBatch;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Note 000 (000_a414762ec7da5e42.txt), Example 3. */
class RandomClassificationTest {

  @Test
  void example3Has16SequencesOf64StepsOf8Inputs() {
    ClassBatch batch =
        RandomClassification.EXAMPLE_3.generate(RandomClassification.SEQUENCES, 2024L);

    assertEquals("[16, 64, 8]", batch.inputs().shape().toString());
    assertEquals(16, batch.targets().rows());
    assertEquals(64, batch.targets().columns());
  }

  @Test
  void inputsAreInTheUnitIntervalAndLabelsAreZeroOneOrTwo() {
    ClassBatch batch = RandomClassification.EXAMPLE_3.generate(16, 3L);

    for (double x : batch.inputs().toArray()) {
      assertTrue(x >= 0.0 && x < 1.0, "input " + x);
    }
    Set<Integer> labels = new HashSet<>();
    for (int[] row : batch.targetArray()) {
      for (int label : row) {
        labels.add(label);
      }
    }
    assertEquals(Set.of(0, 1, 2), labels);
  }
}
