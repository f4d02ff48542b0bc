package dev.rewind.autodiff.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;
import java.util.function.Function;

/**
 * The two ways a backward pass runs: recorded on an outer tape (each op's {@code backward}, built
 * of ops) or not (each op's {@code backwardInPlace}, straight into the sums).
 */
final class BackwardPasses {
  private BackwardPasses() {}

  /**
   * Asserts that {@code actual} gives the numbers of {@code expected} to the bit: the value, and
   * every input's gradient for the output gradient {@code seed}, recorded and not.
   */
  static void assertSameNumbers(
      Function<List<Var>, Var> expected,
      Function<List<Var>, Var> actual,
      List<Var> inputs,
      Tensor seed,
      String context) {
    assertArrayEquals(
        expected.apply(inputs).value().toArray(), actual.apply(inputs).value().toArray(), context);
    for (boolean recorded : new boolean[] {false, true}) {
      List<Tensor> wanted = gradients(expected, inputs, seed, recorded);
      List<Tensor> got = gradients(actual, inputs, seed, recorded);
      for (int i = 0; i < inputs.size(); i++) {
        assertArrayEquals(
            wanted.get(i).toArray(),
            got.get(i).toArray(),
            context + ": gradient of input " + i + (recorded ? ", recorded" : ""));
      }
    }
  }

  /** The inputs' gradients of {@code f} for the output gradient {@code seed}. */
  static List<Tensor> gradients(
      Function<List<Var>, Var> f, List<Var> inputs, Tensor seed, boolean recorded) {
    try (Tape outer = recorded ? Tape.record() : null;
        Tape tape = Tape.record()) {
      Gradients gradients = tape.gradient(f.apply(inputs), seed, inputs);
      return inputs.stream().map(v -> gradients.of(v).value()).toList();
    }
  }
}
