package dev.rewind.train;

import static com.google.common.base.Preconditions.checkArgument;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets a training loop stop cleanly at a step boundary when the process is asked to end (Ctrl-C,
 * {@code kill}): the shutdown hook only raises a flag and waits; the loop sees the flag after its
 * current step, saves a final checkpoint and leaves; closing this releases the hook and the JVM
 * exits. Saving from the hook itself would race with a step half-applied on the training thread.
 *
 * <pre>{@code
 * try (GracefulStop stop = GracefulStop.onShutdown(Duration.ofSeconds(30))) {
 *   for (long step = start; step < steps && !stop.requested(); step++) {
 *     ...one training step...
 *   }
 *   checkpoints.save(model, optimizer, random, Progress.of(step, position)); // the final one
 * }
 * }</pre>
 *
 * <p>If the loop has not finished within the patience, the hook returns and the JVM exits without
 * the final checkpoint; the last periodic one is intact, because every write is atomic. Do not call
 * {@code System.exit} inside the block: during shutdown it blocks until the hook returns.
 */
public final class GracefulStop implements AutoCloseable {
  private final AtomicBoolean requested = new AtomicBoolean();
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Duration patience;
  private final Thread hook;

  private GracefulStop(Duration patience, boolean onShutdown) {
    checkArgument(!patience.isNegative(), "graceful stop: patience %s is negative", patience);
    this.patience = patience;
    this.hook = onShutdown ? new Thread(this::stopAndWait, "rewind-graceful-stop") : null;
    if (hook != null) {
      Runtime.getRuntime().addShutdownHook(hook);
    }
  }

  /**
   * A stop requested by the JVM's shutdown (SIGINT, SIGTERM, {@code System.exit} elsewhere), whose
   * hook waits up to {@code patience} for the loop to close this.
   */
  public static GracefulStop onShutdown(Duration patience) {
    return new GracefulStop(patience, true);
  }

  /** A stop requested only by {@link #request}: for tests, or a loop embedded in a server. */
  public static GracefulStop manual() {
    return new GracefulStop(Duration.ZERO, false);
  }

  /** Whether the loop should save and stop after the current step. */
  public boolean requested() {
    return requested.get();
  }

  /** Asks the loop to stop after its current step. */
  public void request() {
    requested.set(true);
  }

  /** The loop is done (final checkpoint saved): the hook, if waiting, lets the JVM exit. */
  @Override
  public void close() {
    finished.countDown();
    if (hook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // NOTE: the JVM is shutting down and the hook is running; it returns now that we counted
        // down.
      }
    }
  }

  private void stopAndWait() {
    requested.set(true);
    try {
      boolean unused = finished.await(patience.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
