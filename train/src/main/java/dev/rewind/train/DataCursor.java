package dev.rewind.train;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Where a {@link Trainer} is in its data: the position of the batch being read and, with
 * truncation, the first time step of the next window inside it. The batch is read from the source
 * once and cut into windows of {@code window} steps (0: the whole batch is one step).
 */
final class DataCursor {
  private final BatchSource source;
  private final int batchSize;
  private final int window;
  private long position;
  private int windowStart;
  private Batch current;
  private int windowEnd;

  DataCursor(BatchSource source, int batchSize, int window) {
    this.source = source;
    this.batchSize = batchSize;
    this.window = window;
  }

  long position() {
    return position;
  }

  int windowStart() {
    return windowStart;
  }

  /** Continues at {@code windowStart} of the batch at {@code position}. */
  void moveTo(long position, int windowStart) {
    checkArgument(position >= 0, "trainer: the data position %s is negative", position);
    checkArgument(windowStart >= 0, "trainer: the window start %s is negative", windowStart);
    this.position = position;
    this.windowStart = windowStart;
    this.current = null;
  }

  /** The batch or window the next step reads; the same until {@link #advance}. */
  Batch next() {
    if (current == null) {
      current = source.batch(position);
      checkArgument(
          current != null && current.size() == batchSize,
          "trainer: the batch at position %s has %s sequences; the initial state is for %s",
          position,
          current == null ? null : current.size(),
          batchSize);
      checkArgument(
          windowStart < current.length(),
          "trainer: the batch at position %s has %s steps, but the run stopped at step %s of it",
          position,
          current.length(),
          windowStart);
    }
    windowEnd = window == 0 ? current.length() : Math.min(current.length(), windowStart + window);
    return windowStart == 0 && windowEnd == current.length()
        ? current
        : current.window(windowStart, windowEnd);
  }

  /** Moves past what {@link #next} returned: to the next window, or the next batch. */
  void advance() {
    windowStart = windowEnd;
    if (windowStart == current.length()) {
      current = null;
      windowStart = 0;
      position++;
    }
  }
}
