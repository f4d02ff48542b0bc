package dev.rewind.spark.demo;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * One configuration of the demonstration's sweep: a {@link TextModel}'s cell and sizes, the
 * optimizer and its learning rate, the seed of the initial weights, and the steps to train.
 *
 * @param cell {@code lstm}, {@code gru}, {@code elman} or {@code mgu}
 * @param hidden the cell's hidden units
 * @param embedding the width of an embedding row
 * @param optimizer {@code adam}, {@code sgd} or {@code rprop}
 * @param learningRate Adam's or SGD's learning rate, or Rprop's initial step
 * @param seed the seed of the initial weights
 * @param steps the steps to train
 */
public record SweepConfig(
    String cell,
    int hidden,
    int embedding,
    String optimizer,
    double learningRate,
    long seed,
    long steps)
    implements Serializable {

  /** The optimizers a configuration may name. */
  public static final List<String> OPTIMIZERS = List.of("adam", "sgd", "rprop");

  /** {@code gru-h32-adam-0.01-s1}: the folder and row name. */
  public String name() {
    return String.format(
        Locale.ROOT, "%s-h%d-%s-%s-s%d", cell, hidden, optimizer, learningRate, seed);
  }

  /**
   * Checks every field.
   *
   * @throws IllegalArgumentException naming the configuration, the field and its value
   */
  public void validate() {
    checkArgument(
        TextModel.CELLS.contains(cell),
        "%s: unknown cell '%s': choose one of %s",
        name(),
        cell,
        TextModel.CELLS);
    checkArgument(hidden >= 1, "%s: hidden size %s must be positive", name(), hidden);
    checkArgument(embedding >= 1, "%s: embedding size %s must be positive", name(), embedding);
    checkArgument(
        OPTIMIZERS.contains(optimizer),
        "%s: unknown optimizer '%s': choose one of %s",
        name(),
        optimizer,
        OPTIMIZERS);
    checkArgument(
        learningRate > 0 && Double.isFinite(learningRate),
        "%s: learning rate %s must be positive and finite",
        name(),
        learningRate);
    checkArgument(steps >= 1, "%s: step count %s must be positive", name(), steps);
  }
}
