package dev.rewind.datasets.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.datasets.ClassBatch;
import java.util.Arrays;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class CopyTaskProperties {

  @Property(tries = 60)
  void answerReproducesTheInputSymbolsAfterTheDelay(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 8) int symbols,
      @ForAll @IntRange(min = 1, max = 10) int length,
      @ForAll @IntRange(min = 1, max = 60) int delay) {
    CopyTask task = new CopyTask(symbols, length, delay);
    ClassBatch batch = task.generate(3, seed);

    for (int b = 0; b < 3; b++) {
      int[] read = readSymbols(batch, b, task);
      int[] written = Arrays.copyOfRange(batch.targets().row(b), task.answerStart(), task.steps());
      assertArrayEquals(Arrays.copyOfRange(read, 0, length), written);
    }
  }

  @Property(tries = 60)
  void everyOtherTargetIsBlankAndTheDelimiterEndsTheDelay(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int delay) {
    CopyTask task = CopyTask.withDelay(delay);
    ClassBatch batch = task.generate(2, seed);

    for (int b = 0; b < 2; b++) {
      int[] read = readSymbols(batch, b, task);
      int[] targets = batch.targets().row(b);
      for (int t = 0; t < task.steps(); t++) {
        if (t < task.answerStart()) {
          assertEquals(task.blank(), targets[t], "target " + t);
        }
        if (t >= task.length() && t != task.answerStart() - 1) {
          assertEquals(task.blank(), read[t], "input " + t);
        }
      }
      assertEquals(task.delimiter(), read[task.answerStart() - 1]);
    }
  }

  @Example
  void benchmarkFormHas2LPlusDelaySteps() {
    CopyTask task = CopyTask.withDelay(100);
    ClassBatch batch = task.generate(2, 0L);

    assertEquals("[2, 120, 10]", batch.inputs().shape().toString());
    assertEquals(110, task.answerStart());
    assertEquals(9, task.outputClasses());
  }

  /** The index of the 1 in each one-hot input step. */
  private static int[] readSymbols(ClassBatch batch, int b, CopyTask task) {
    int[] read = new int[task.steps()];
    for (int t = 0; t < task.steps(); t++) {
      int hot = -1;
      for (int c = 0; c < task.inputClasses(); c++) {
        if (batch.inputs().get(b, t, c) == 1.0) {
          assertEquals(-1, hot, "two ones at step " + t);
          hot = c;
        }
      }
      read[t] = hot;
    }
    return read;
  }
}
