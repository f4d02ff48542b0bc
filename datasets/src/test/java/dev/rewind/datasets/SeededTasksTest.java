package dev.rewind.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.rewind.datasets.benchmarks.AddingProblem;
import dev.rewind.datasets.benchmarks.CopyTask;
import dev.rewind.datasets.benchmarks.EmbeddedReber;
import dev.rewind.datasets.benchmarks.SineWave;
import dev.rewind.datasets.tasks.BitSum;
import dev.rewind.datasets.tasks.Parity;
import dev.rewind.datasets.tasks.RandomClassification;
import dev.rewind.datasets.tasks.XorSequence;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every random task: the same seed gives the same batch, a different seed a different one. */
class SeededTasksTest {

  static Stream<Arguments> tasks() {
    return Stream.of(
        Arguments.of("parity", new Parity(4, 12)),
        Arguments.of("xor sequence", new XorSequence(10)),
        Arguments.of("bit sum", BitSum.EIGHT_BITS),
        Arguments.of("random classification", RandomClassification.EXAMPLE_3),
        Arguments.of("adding problem", new AddingProblem(30)),
        Arguments.of("copy task", CopyTask.withDelay(20)),
        Arguments.of("embedded Reber", EmbeddedReber.upTo(30)),
        Arguments.of("sine wave", SineWave.ofLength(25)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tasks")
  void sameSeedGivesTheSameBatch(String name, Task<?> task) {
    assertEquals(task.generate(8, 42L), task.generate(8, 42L), name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tasks")
  void aSeedAndARandomOfThatSeedGiveTheSameBatch(String name, Task<?> task) {
    assertEquals(task.generate(8, 42L), task.generate(8, new Random(42L)), name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tasks")
  void differentSeedsGiveDifferentBatches(String name, Task<?> task) {
    assertNotEquals(task.generate(8, 42L), task.generate(8, 43L), name);
  }
}
