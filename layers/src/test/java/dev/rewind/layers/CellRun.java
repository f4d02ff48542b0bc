package dev.rewind.layers;

import dev.rewind.autodiff.tape.Var;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A case's cell, made afresh for each run (so that a dropout wrapper draws the same masks), and the
 * two ways to run it over a sequence: unrolled by {@link Recurrent}, which prepares the sequence
 * ({@link RecurrentCell#prepare}), and stepped by hand through {@link RecurrentCell#step}.
 *
 * @param cellPerRun makes the cell, the same at every call
 * @param <S> the cell's state
 */
record CellRun<S extends RecurrentState<S>>(Supplier<? extends RecurrentCell<S>> cellPerRun) {

  /** Every step's output, then every tensor of the final state, of {@link Recurrent#run}. */
  List<Var> unrolled(Var inputs) {
    Recurrent.Unrolled<S> run = new Recurrent<S>(cellPerRun.get()).run(inputs);
    return values(run.outputs(), run.finalState());
  }

  /** The same values from {@code step(x(t), state)}, one step at a time. */
  List<Var> stepped(Var inputs) {
    RecurrentCell<S> cell = cellPerRun.get();
    S state = cell.initialState(inputs.shape().dim(0));
    List<Var> outputs = new ArrayList<>();
    for (Var input : inputs.unstack(1)) {
      RecurrentCell.Step<S> step = cell.step(input, state);
      outputs.add(step.output());
      state = step.state();
    }
    return values(outputs, state);
  }

  private static List<Var> values(List<Var> outputs, Object finalState) {
    List<Var> values = new ArrayList<>(outputs);
    values.addAll(CellCases.stateVars(finalState));
    return values;
  }
}
