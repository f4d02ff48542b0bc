package dev.rewind.train.checkpoint;

import java.nio.file.Path;

/**
 * A caller's say over the checkpoint about to be restored, once it has been verified intact and
 * before anything is loaded: typically that it was saved with this run's settings, which a
 * checkpoint carries as {@link Progress#attributes}. A refusal is the caller's own exception, with
 * its own message; it stops the restore, with nothing changed, rather than passing over to an older
 * checkpoint, because a checkpoint of other settings is a mistake to report, not damage.
 */
@FunctionalInterface
public interface RestoreCheck {
  /** Accepts every intact checkpoint. */
  RestoreCheck ACCEPT_ALL = (file, saved) -> {};

  /**
   * Returns if {@code file}, intact, may be restored; throws to refuse it.
   *
   * @param saved what it holds besides the weights: step, data position, carried state, attributes
   * @throws RuntimeException of the caller's choosing, naming what differs; it reaches the caller
   *     of the restore unchanged
   */
  void check(Path file, Progress saved);
}
