package dev.rewind.autodiff.check;

import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The second-order checks of a scalar f, {@link GradCheck#checkSecondOrder} and {@link
 * GradCheck#checkSecondOrderRandomDirection}: the tape's second derivatives come from
 * differentiating the backward pass recorded on an outer tape, and the numeric ones from the
 * five-point differences of the tape's gradient.
 */
final class SecondOrderCheck {
  private final TapedFunction function;
  private final double eps;
  private final double tolerance;
  private final List<String> inputNames;

  SecondOrderCheck(TapedFunction function, double eps, double tolerance, List<String> inputNames) {
    this.function = function;
    this.eps = eps;
    this.tolerance = tolerance;
    this.inputNames = inputNames;
  }

  /** The whole Hessian, element by element, as {@link GradCheck#checkSecondOrder}. */
  GradCheckResult hessian(Tensor... inputs) {
    List<List<List<Tensor>>> hessianRows = new ArrayList<>();
    try (Tape outer = Tape.record()) {
      List<Var> vars = function.leaves(inputs);
      List<Var> gradient = function.recordedGradient(vars);
      for (int i = 0; i < inputs.length; i++) {
        List<List<Tensor>> rowsOfInput = new ArrayList<>();
        for (int j = 0; j < inputs[i].size(); j++) {
          Var element = gradient.get(i).mul(Var.constant(Points.unit(inputs[i].shape(), j))).sum();
          Gradients second = outer.gradient(element, vars);
          rowsOfInput.add(vars.stream().map(second::tensor).toList());
        }
        hessianRows.add(rowsOfInput);
      }
    }
    // The gradient at x + s e_j, differenced: column j of the Hessian.
    Stencil stencil = new Stencil(eps, function.gradient(inputs));
    List<List<List<Tensor>>> columns = new ArrayList<>();
    for (int i = 0; i < inputs.length; i++) {
      List<List<Tensor>> columnsOfInput = new ArrayList<>();
      for (int j = 0; j < inputs[i].size(); j++) {
        int input = i;
        int element = j;
        columnsOfInput.add(
            stencil.derivative(
                step -> function.gradient(Points.nudged(inputs, input, element, step))));
      }
      columns.add(columnsOfInput);
    }
    double resolution = stencil.resolution();
    Worst worst = new Worst("second-order", tolerance, inputNames);
    for (int i = 0; i < inputs.length; i++) {
      for (int j = 0; j < inputs[i].size(); j++) {
        List<Tensor> column = columns.get(i).get(j);
        for (int r = 0; r < inputs.length; r++) {
          for (int s = 0; s < inputs[r].size(); s++) {
            String row =
                "the gradient of input "
                    + label(r)
                    + " "
                    + Points.coordinates(inputs[r].shape(), s);
            double tape = hessianRows.get(r).get(s).get(i).getFlat(j);
            worst.offer(tape, column.get(r).getFlat(s), resolution, i, inputs[i], j, row);
          }
        }
      }
    }
    return worst.result();
  }

  /** The curvature along one direction, as {@link GradCheck#checkSecondOrderRandomDirection}. */
  GradCheckResult alongRandomDirection(long seed, Tensor... inputs) {
    List<Tensor> direction = Points.randomDirection(seed, inputs);
    double analytic;
    try (Tape outer = Tape.record()) {
      List<Var> vars = function.leaves(inputs);
      List<Var> gradient = function.recordedGradient(vars);
      Var slope = gradient.get(0).mul(Var.constant(direction.get(0))).sum();
      for (int i = 1; i < inputs.length; i++) {
        slope = slope.add(gradient.get(i).mul(Var.constant(direction.get(i))).sum());
      }
      Gradients hessianTimesDirection = outer.gradient(slope, vars);
      analytic = Points.along(vars.stream().map(hessianTimesDirection::tensor).toList(), direction);
    }
    Stencil stencil =
        new Stencil(
            eps, List.of(Tensor.scalar(Points.along(function.gradient(inputs), direction))));
    double numeric =
        stencil
            .derivative(
                step -> {
                  List<Tensor> gradient =
                      function.gradient(Points.shifted(inputs, direction, step));
                  return List.of(Tensor.scalar(Points.along(gradient, direction)));
                })
            .get(0)
            .item();
    Worst worst = new Worst("second-order random-direction", tolerance, List.of());
    worst.offer(analytic, numeric, stencil.resolution(), 0, Tensor.scalar(0), 0, "");
    return worst.result();
  }

  /** Input {@code i} as results name it: its name in quotes, or its position. */
  private String label(int i) {
    return inputNames.isEmpty() ? String.valueOf(i) : "'" + inputNames.get(i) + "'";
  }
}
