package dev.rewind.datasets.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.datasets.SequenceBatch;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class AddingProblemProperties {

  @Property(tries = 60)
  void targetIsTheSumOfTheTwoMarkedValues(
      @ForAll long seed, @ForAll @IntRange(min = 2, max = 200) int length) {
    SequenceBatch batch = new AddingProblem(length).generate(4, seed);

    for (int b = 0; b < 4; b++) {
      double markedSum = 0;
      for (int t = 0; t < length; t++) {
        markedSum +=
            batch.inputs().get(b, t, AddingProblem.VALUE)
                * batch.inputs().get(b, t, AddingProblem.MARKER);
      }
      assertEquals(markedSum, batch.targets().get(b, 0), 1e-12);
    }
  }

  @Property(tries = 60)
  void exactlyOneMarkerFallsInEachHalf(
      @ForAll long seed, @ForAll @IntRange(min = 2, max = 200) int length) {
    SequenceBatch batch = new AddingProblem(length).generate(4, seed);

    for (int b = 0; b < 4; b++) {
      int firstHalf = 0;
      int secondHalf = 0;
      for (int t = 0; t < length; t++) {
        double marker = batch.inputs().get(b, t, AddingProblem.MARKER);
        assertTrue(marker == 0.0 || marker == 1.0);
        if (t < length / 2) {
          firstHalf += (int) marker;
        } else {
          secondHalf += (int) marker;
        }
      }
      assertEquals(1, firstHalf, "markers in the first half");
      assertEquals(1, secondHalf, "markers in the second half");
    }
  }

  @Property(tries = 30)
  void valuesLieInTheUnitInterval(@ForAll long seed) {
    SequenceBatch batch = new AddingProblem(50).generate(3, seed);

    for (int b = 0; b < 3; b++) {
      for (int t = 0; t < 50; t++) {
        double value = batch.inputs().get(b, t, AddingProblem.VALUE);
        assertTrue(value >= 0.0 && value < 1.0, "value " + value);
      }
    }
  }
}
