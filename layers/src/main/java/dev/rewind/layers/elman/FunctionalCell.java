package dev.rewind.layers.elman;

import dev.rewind.autodiff.tape.Var;
import dev.rewind.layers.Layer;
import dev.rewind.layers.RecurrentCell;
import dev.rewind.layers.RecurrentState;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A cell of this package run with given weights in place of its parameters: what the cells' {@code
 * withWeights} return.
 */
final class FunctionalCell<S extends RecurrentState<S>> implements RecurrentCell<S> {
  private final RecurrentCell<S> cell;
  private final BiFunction<Var, S, Step<S>> step;

  private FunctionalCell(RecurrentCell<S> cell, BiFunction<Var, S, Step<S>> step) {
    this.cell = cell;
    this.step = step;
  }

  /** A cell's step with {@code weights}, one per parameter in its order, in place of them. */
  interface WeightedStep<S> {
    Step<S> apply(Var input, S state, List<? extends Var> weights);
  }

  /**
   * {@code cell} with {@code weights} in place of its parameters, once they are checked to match
   * them one by one; each step runs {@code step} with a copy of {@code weights}.
   */
  static <S extends RecurrentState<S>, C extends Layer & RecurrentCell<S>>
      RecurrentCell<S> withWeights(C cell, List<? extends Var> weights, WeightedStep<S> step) {
    Checks.checkWeights(cell, weights);
    List<Var> given = List.copyOf(weights);
    return new FunctionalCell<>(cell, (input, state) -> step.apply(input, state, given));
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
