package dev.rewind.train;

/** Why {@link Trainer#fit} returned. */
public enum StopReason {
  /** It reached the step it was asked to train to. */
  FINISHED,
  /** The validation loss stopped improving for as many validations as the patience allows. */
  EARLY_STOPPED,
  /** A {@link GracefulStop} was requested (Ctrl-C, SIGTERM, or by hand). */
  STOPPED
}
