package dev.rewind.examples.tutorials;

import dev.rewind.autodiff.tape.Tape;
import dev.rewind.datasets.SequenceBatch;
import dev.rewind.train.Batch;
import java.util.function.Supplier;

/**
 * What the notes' tutorials share besides the library's training loop ({@code
 * dev.rewind.train.Trainer}, which each configures in a few lines): datasets' batches as the loop
 * reads them, and evaluation with nothing recorded.
 */
final class NotesTraining {
  private NotesTraining() {}

  /** A batch of the datasets' sequences, for the training loop. */
  static Batch batch(SequenceBatch sequences) {
    return sequences.mask() == null
        ? Batch.of(sequences.inputs(), sequences.targets())
        : Batch.masked(sequences.inputs(), sequences.targets(), sequences.mask());
  }

  /** Evaluates {@code model} without recording anything. */
  static <T> T evaluate(Supplier<T> model) {
    try (Tape.NoGradScope scope = Tape.noGrad()) {
      return model.get();
    }
  }
}
