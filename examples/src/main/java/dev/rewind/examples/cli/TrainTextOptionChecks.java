package dev.rewind.examples.cli;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tensor.DType;
import dev.rewind.datasets.DatasetException;
import dev.rewind.datasets.text.Corpus;
import dev.rewind.datasets.text.Vocabulary;
import java.util.Locale;

/**
 * Refuses {@code train-text} options that cannot make a run, each with one line naming the option
 * and its value: first the options on their own, then, once the text is read, the window and the
 * prime against the text.
 */
final class TrainTextOptionChecks {
  private TrainTextOptionChecks() {}

  /** The dtype {@code --dtype} names: f64 (float64, double) or f32 (float32, float). */
  static DType dtype(String name) {
    try {
      return DType.parse(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--dtype " + e.getMessage().replace("dtype: ", ""), e);
    }
  }

  /**
   * Refuses a count, rate or temperature out of its range, and --resume with --fresh.
   *
   * @throws IllegalArgumentException naming the first option out of range and its value
   */
  static void checkOptions(TrainTextCommand command) {
    checkArgument(
        command.threads == null || command.threads >= 1,
        "--threads %s must be at least 1",
        command.threads);
    checkArgument(command.steps >= 1, "--steps %s must be at least 1", command.steps);
    checkArgument(command.hidden >= 1, "--hidden %s must be at least 1", command.hidden);
    checkArgument(
        command.embedding >= 0,
        "--embedding %s must be 0 (one-hot) or positive",
        command.embedding);
    checkArgument(command.batch >= 1, "--batch %s must be at least 1", command.batch);
    checkArgument(command.window >= 1, "--window %s must be at least 1", command.window);
    checkArgument(
        command.learningRate > 0 && Double.isFinite(command.learningRate),
        "--lr %s must be positive",
        command.learningRate);
    checkArgument(
        command.clip > 0 && Double.isFinite(command.clip),
        "--clip %s must be positive",
        command.clip);
    checkArgument(
        command.temperature >= 0 && Double.isFinite(command.temperature),
        "--temperature %s must be 0 or positive",
        command.temperature);
    checkArgument(
        command.sampleLength >= 0, "--sample-length %s must not be negative", command.sampleLength);
    checkArgument(command.logEvery >= 0, "--log-every %s must not be negative", command.logEvery);
    checkArgument(
        command.checkpointEvery >= 0,
        "--checkpoint-every %s must not be negative",
        command.checkpointEvery);
    checkArgument(command.keep >= 1, "--keep %s must be at least 1", command.keep);
    checkArgument(
        !(command.resume && command.fresh),
        "--resume and --fresh contradict each other: --resume continues the checkpoints,"
            + " --fresh deletes them");
  }

  /**
   * Refuses a window as long as the text or longer: no window of training text would fit.
   *
   * @throws DatasetException naming the text, its length and the window
   */
  static void checkWindow(int window, Corpus corpus) {
    if (window >= corpus.length()) {
      throw new DatasetException(
          String.format(
              Locale.ROOT,
              "%s: %,d character%s, too short for a window of %,d: the window must be shorter"
                  + " than the text",
              corpus.name(),
              corpus.length(),
              corpus.length() == 1 ? "" : "s",
              window));
    }
  }

  /**
   * Refuses an empty prime, or one with a character the model has no symbol for.
   *
   * @throws IllegalArgumentException naming the first such character and the text
   */
  static void checkPrime(String start, Vocabulary vocabulary, Corpus corpus) {
    checkArgument(!start.isEmpty(), "--prime: the text to start sampling from is empty");
    start
        .codePoints()
        .filter(c -> !vocabulary.contains(c))
        .findFirst()
        .ifPresent(
            c -> {
              throw new IllegalArgumentException(
                  String.format(
                      "--prime: '%s' does not occur in %s, so the model cannot read it",
                      new String(Character.toChars(c)), corpus.name()));
            });
  }
}
