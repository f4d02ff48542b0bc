package dev.rewind.datasets.text;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.datasets.Indices;

/**
 * One language-model window as token indices, for a model that starts with an embedding.
 *
 * @param inputs {@code [batch, window]} the indices of the characters read
 * @param targets {@code [batch, window]} the index of the character after each input
 */
public record TokenBatch(Indices inputs, Indices targets) {

  public TokenBatch {
    checkArgument(
        inputs.rows() == targets.rows() && inputs.columns() == targets.columns(),
        "token batch: inputs [%s, %s] and targets [%s, %s] differ in shape",
        inputs.rows(),
        inputs.columns(),
        targets.rows(),
        targets.columns());
  }
}
