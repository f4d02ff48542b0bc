package dev.rewind.datasets.tasks;

import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.datasets.ClassBatch;
import dev.rewind.datasets.Indices;
import dev.rewind.datasets.batch.Masks;
import dev.rewind.datasets.text.Vocabulary;

/**
 * Note 000's character language model: the training sequence "hello" over the vocabulary [h, e, l,
 * o]. Given characters 1 … t the model predicts character t + 1, so the inputs are "hell" and the
 * targets "ello"; each input is one-hot, h = (1, 0, 0, 0). At test time the model generates text by
 * sampling one character at a time and feeding it back.
 *
 * <p>The only task without randomness: the notes fix the word.
 */
public final class Hello {
  /** The training sequence. */
  public static final String WORD = "hello";

  /** The notes' vocabulary, in the notes' order. */
  public static final String SYMBOLS = "helo";

  private Hello() {}

  /** [h, e, l, o]: h is index 0, e 1, l 2, o 3. */
  public static Vocabulary vocabulary() {
    return Vocabulary.of(SYMBOLS);
  }

  /** "hell": the characters read. */
  public static String inputText() {
    return WORD.substring(0, WORD.length() - 1);
  }

  /** "ello": the character to predict after each input. */
  public static String targetText() {
    return WORD.substring(1);
  }

  /**
   * The word as one sequence: inputs "hell" one-hot, {@code [1, 4, 4]}; targets "ello" as indices
   * {@code [[1, 2, 2, 3]]}; a mask of ones.
   */
  public static ClassBatch batch() {
    Vocabulary vocabulary = vocabulary();
    Tensor inputs = vocabulary.oneHot(inputText());
    return new ClassBatch(
        inputs.reshape(Shape.of(1, inputText().length(), vocabulary.size())),
        Indices.row(vocabulary.encode(targetText())),
        Masks.full(1, inputText().length()));
  }
}
