package dev.rewind.spark.demo;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.datasets.text.Corpus;
import dev.rewind.datasets.text.Vocabulary;
import dev.rewind.layers.Layer;
import dev.rewind.layers.loss.Losses;
import dev.rewind.spark.SequenceLoss;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The data-parallel demonstration's training sequences and loss: a text cut into windows of {@code
 * length + 1} characters, each read from the zero state; the loss of a set of windows is the mean
 * cross-entropy of predicting each window's characters 2 … length + 1 from those before.
 */
public final class WindowLoss implements SequenceLoss<int[]> {
  private static final long serialVersionUID = 1L;

  /**
   * {@code corpus} encoded and cut into consecutive windows of {@code length + 1} characters; the
   * remainder is left out.
   */
  public static List<int[]> windows(Corpus corpus, Vocabulary vocabulary, int length) {
    checkArgument(length >= 1, "windows: length %s must be positive", length);
    int[] tokens = vocabulary.encode(corpus);
    List<int[]> windows = new ArrayList<>();
    for (int start = 0; start + length + 1 <= tokens.length; start += length + 1) {
      windows.add(Arrays.copyOfRange(tokens, start, start + length + 1));
    }
    return windows;
  }

  @Override
  public Var loss(Layer model, List<int[]> windows) {
    int[][] inputs = new int[windows.size()][];
    int[][] targets = new int[windows.size()][];
    for (int i = 0; i < inputs.length; i++) {
      int[] window = windows.get(i);
      inputs[i] = Arrays.copyOfRange(window, 0, window.length - 1);
      targets[i] = Arrays.copyOfRange(window, 1, window.length);
    }
    TextModel<?> text = (TextModel<?>) model;
    return Losses.softmaxCrossEntropy(text.forward(inputs, null).logits(), targets);
  }
}
