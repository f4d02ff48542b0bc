package dev.rewind.examples.text;

import dev.rewind.datasets.text.Corpus;
import dev.rewind.datasets.text.LanguageModelStreams;
import dev.rewind.datasets.text.TokenBatch;
import dev.rewind.datasets.text.Vocabulary;

/**
 * What a character model's loss should be compared with: the cross-entropy of models that read
 * nothing. A model below {@link #unigram} has learned something from the characters it has read.
 */
public final class Baselines {
  private Baselines() {}

  /** {@code ln V}: the cross-entropy of guessing each of V characters with probability 1/V. */
  public static double uniform(Vocabulary vocabulary) {
    return Math.log(vocabulary.size());
  }

  /**
   * The cross-entropy over {@code validation}'s targets of the best model that ignores context:
   * each character's frequency in {@code training}, add-one smoothed so that none has probability
   * 0.
   */
  public static double unigram(
      Corpus training, LanguageModelStreams validation, Vocabulary vocabulary) {
    double[] counts = new double[vocabulary.size()];
    long[] occurrences = vocabulary.count(training);
    for (int i = 0; i < counts.length; i++) {
      counts[i] = 1 + occurrences[i];
    }
    double total = training.length() + vocabulary.size();
    double sum = 0;
    long count = 0;
    for (TokenBatch window : validation.indexWindows()) {
      for (int[] row : window.targets().toArray()) {
        for (int target : row) {
          sum -= Math.log(counts[target] / total);
          count++;
        }
      }
    }
    return sum / count;
  }
}
