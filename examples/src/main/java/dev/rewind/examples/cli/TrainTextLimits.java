package dev.rewind.examples.cli;

import dev.rewind.examples.text.CharModel;
import java.util.Locale;

/**
 * How large a {@code train-text} run may be: a model over {@link #MAX_PARAMETERS} is refused before
 * anything is allocated, and a full heap is one line with the figure and how to raise it.
 */
final class TrainTextLimits {
  /** The largest model trained: 100 million parameters take 3.2 GB with Adam. */
  static final long MAX_PARAMETERS = 100_000_000;

  private TrainTextLimits() {}

  /**
   * Refuses a model over {@link #MAX_PARAMETERS}, naming the options that size it.
   *
   * @throws IllegalArgumentException with the count and the memory it would take
   */
  static void checkModelSize(CharModel.Config config) {
    long count = config.parameterCount();
    // Each parameter holds its value, its gradient and Adam's two moments: 32 bytes.
    if (count > MAX_PARAMETERS) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "--hidden %d --embedding %d: the model would have %,d parameters (%,d MB with its"
                  + " gradients and Adam's moments), more than the limit of %,d: choose smaller"
                  + " sizes",
              config.hiddenSize(),
              config.embeddingSize(),
              count,
              count * 32 / 1_000_000,
              MAX_PARAMETERS));
    }
  }

  /** What to do when the heap is full: the figure, and how to raise it. */
  static String outOfMemory() {
    return String.format(
        Locale.ROOT,
        "out of memory: the Java heap is limited to %,d MB; use a smaller --batch, --hidden or"
            + " text, or give Java more, e.g. JAVA_OPTS=-Xmx4g ./rewind train-text ... (or java"
            + " -Xmx4g -jar rewind.jar ...)",
        Runtime.getRuntime().maxMemory() / (1024 * 1024));
  }
}
