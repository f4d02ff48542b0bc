package dev.rewind.train;

import java.nio.file.Path;

/**
 * Hears what a {@link Trainer} does, in order: every step, every validation, every checkpoint
 * saved, and the end of {@link Trainer#fit}. Progress lines, plots, metrics and logs attach here;
 * the trainer itself never prints. Every method does nothing unless overridden.
 */
public interface TrainingListener {

  /** After each step, once the optimizer has updated (or skipped). */
  default void onStep(StepEvent event) {}

  /** After each validation. */
  default void onValidation(ValidationEvent event) {}

  /** After a checkpoint of {@code step} was written to {@code file}. */
  default void onCheckpoint(long step, Path file) {}

  /** When {@link Trainer#fit} returns, with what it returns. */
  default void onFinish(FitResult result) {}
}
