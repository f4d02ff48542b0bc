package dev.rewind.examples.tutorials;

import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.optim.Optimizer;
import dev.rewind.optim.ParameterGradients;
import java.util.function.Supplier;

/** The training step the notes' tutorials share: forward on a tape, BPTT, one optimizer step. */
final class NotesTraining {
  private NotesTraining() {}

  /**
   * Records {@code loss} on a fresh tape, takes its gradient with respect to the optimizer's
   * parameters (the tape's reverse walk over the unrolled sequence is BPTT) and steps once.
   *
   * @return the loss before the step
   */
  static double step(Optimizer optimizer, Supplier<Var> loss) {
    try (Tape tape = Tape.record()) {
      Var value = loss.get();
      double before = value.value().item();
      optimizer.step(
          ParameterGradients.from(tape.gradient(value, optimizer.parameters())).withLoss(before));
      return before;
    }
  }

  /** Evaluates {@code model} without recording anything. */
  static <T> T evaluate(Supplier<T> model) {
    try (Tape.NoGradScope scope = Tape.noGrad()) {
      return model.get();
    }
  }
}
