package dev.rewind.autodiff.ops;

import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;
import java.util.function.Function;

/**
 * The two ways a backward pass runs: recorded on an outer tape (each op's {@code backward}, built
 * of ops) or not (each op's {@code accumulateGradient}, straight into the sums).
 */
final class BackwardPasses {
  private BackwardPasses() {}

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
