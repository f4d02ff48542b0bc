package dev.rewind.layers;

import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One cell of the library in one form, with a scalar loss over an unrolled run: built afresh (and
 * from the same seeds) by {@link #build}, so that every check starts from the same values.
 *
 * @param name a short description, unique among the cases
 * @param build makes the cell, its inputs and its loss
 */
record CellCase(String name, Supplier<Subject> build) {

  /**
   * What a case checks.
   *
   * @param parameters the cell's own parameters, by name
   * @param loss a scalar loss of the input sequence {@code [batch, time, in]}, which reads the
   *     parameters' current values at every call
   * @param inputs the input sequence
   * @param covered the classes of the recurrent cells (and layers) the loss runs
   * @param cell the cell the loss unrolls, or empty when the subject is a layer that is not a cell
   */
  record Subject(
      Map<String, Parameter> parameters,
      Function<Var, Var> loss,
      Tensor inputs,
      Set<Class<?>> covered,
      Optional<CellRun<?>> cell) {}

  @Override
  public String toString() {
    return name;
  }
}
