package dev.rewind.layers.elman;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.RecurrentState;
import java.util.function.BiFunction;

/**
 * A cell of this package run with given weights in place of its parameters: what the cells' {@code
 * withWeights} return.
 */
final class FunctionalCell<S extends RecurrentState<S>> implements RecurrentCell<S> {
  private final RecurrentCell<S> cell;
  private final BiFunction<Var, S, Step<S>> step;

  FunctionalCell(RecurrentCell<S> cell, BiFunction<Var, S, Step<S>> step) {
    this.cell = cell;
    this.step = step;
  }

  @Override
  public int inputSize() {
    return cell.inputSize();
  }

  @Override
  public S initialState(int batchSize) {
    return cell.initialState(batchSize);
  }

  @Override
  public Step<S> step(Var input, S state) {
    return step.apply(input, state);
  }

  @Override
  public String name() {
    return cell.name();
  }

  @Override
  public String toString() {
    return cell + " with given weights";
  }
}
