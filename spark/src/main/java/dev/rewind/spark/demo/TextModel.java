package dev.rewind.spark.demo;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.layers.Activation;
import dev.rewind.layers.Embedding;
import dev.rewind.layers.Layer;
import dev.rewind.layers.Linear;
import dev.rewind.layers.Recurrent;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.RecurrentState;
import dev.rewind.layers.elman.ElmanCell;
import dev.rewind.layers.gru.GruCell;
import dev.rewind.layers.lstm.LstmCell;
import java.util.List;
import java.util.Random;

/**
 * A character language model over any cell: an embedding, the cell unrolled over the window, a
 * linear readout giving each next character's logits. Built by name, so that a configuration can
 * say which cell: {@code lstm}, {@code gru}, {@code elman} (tanh) or {@code mgu}, the {@link
 * MinimalGatedUnit} a user wrote.
 *
 * @param <S> the cell's state
 */
public final class TextModel<S extends RecurrentState<S>> extends Layer {
  /** The cells a configuration may name. */
  public static final List<String> CELLS = List.of("lstm", "gru", "elman", "mgu");

  private final Embedding embedding;
  private final RecurrentCell<S> cell;
  private final Recurrent<S> recurrent;
  private final Linear readout;

  private <C extends Layer & RecurrentCell<S>> TextModel(
      Embedding embedding, C cell, Linear readout) {
    this.embedding = child("embedding", embedding);
    this.cell = child("cell", cell);
    this.recurrent = new Recurrent<>(cell);
    this.readout = child("readout", readout);
  }

  /**
   * A model with the cell named {@code cell}, its weights drawn from {@code random} in order:
   * embedding, cell, readout.
   *
   * @throws IllegalArgumentException naming the cell if it is not one of {@link #CELLS}
   */
  public static TextModel<?> create(
      String cell, int vocabulary, int embeddingSize, int hiddenSize, Random random) {
    checkArgument(
        CELLS.contains(cell), "text model: unknown cell '%s': choose one of %s", cell, CELLS);
    Embedding embedding = new Embedding(vocabulary, embeddingSize, random);
    return switch (cell) {
      case "lstm" -> {
        LstmCell lstm = LstmCell.random(embeddingSize, hiddenSize, random);
        lstm.setForgetBias(1);
        yield new TextModel<>(embedding, lstm, new Linear(hiddenSize, vocabulary, random));
      }
      case "gru" ->
          new TextModel<>(
              embedding,
              GruCell.random(embeddingSize, hiddenSize, random),
              new Linear(hiddenSize, vocabulary, random));
      case "elman" ->
          new TextModel<>(
              embedding,
              ElmanCell.random(embeddingSize, hiddenSize, Activation.TANH, random),
              new Linear(hiddenSize, vocabulary, random));
      default ->
          new TextModel<>(
              embedding,
              new MinimalGatedUnit(embeddingSize, hiddenSize, random),
              new Linear(hiddenSize, vocabulary, random));
    };
  }

  /** The zero state of {@code batch} streams. */
  public S initialState(int batch) {
    return cell.initialState(batch);
  }

  /**
   * The logits {@code [batch, time, vocabulary]} of each next character after reading {@code
   * tokens} ({@code [batch][time]}) from {@code state} (zeros when null), and the state after.
   */
  public Output<S> forward(int[][] tokens, S state) {
    Var inputs = embedding.apply(tokens);
    Recurrent.Unrolled<S> run = recurrent.run(inputs, state, null);
    return new Output<>(readout.apply(run.stacked()), run.finalState());
  }

  /**
   * What {@link #forward} returns.
   *
   * @param logits {@code [batch, time, vocabulary]}
   * @param state the state after the last character
   */
  public record Output<S>(Var logits, S state) {}
}
