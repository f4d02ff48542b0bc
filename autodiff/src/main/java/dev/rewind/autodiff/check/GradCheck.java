package dev.rewind.autodiff.check;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Reductions;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Checks the tape's derivatives against central finite differences in float64:
 *
 * <pre>
 *   numeric = (f(x + ε e_j) - f(x - ε e_j)) / 2ε
 *   error   = |tape - numeric| / max(1e-8, |tape| + |numeric|)
 * </pre>
 *
 * and reports the worst element with its index and both values. Four checks:
 *
 * <ul>
 *   <li>{@link #check}: first order, the whole Jacobian of f (which may return any shape), one
 *       element at a time;
 *   <li>{@link #checkSecondOrder}: the gradient of the gradient — the whole Hessian of a scalar f,
 *       computed by recording the backward pass on an outer tape;
 *   <li>{@link #checkRandomDirection}: {@code <v, ∇f>} against a finite difference along one seeded
 *       random direction v, as JAX's {@code check_grads}: two evaluations of f whatever the number
 *       of weights or time steps;
 *   <li>{@link #checkHandDerived}: gradients derived on paper (a textbook's BPTT equations) against
 *       the tape's.
 * </ul>
 *
 * <pre>{@code
 * GradCheck.of(in -> in.get(0).matmul(in.get(1)).tanh().sum()).check(x, w).orThrow();
 * }</pre>
 *
 * <p>Keep inputs away from kinks (0 for abs and relu) and from overflow. Near a point where a
 * derivative is exactly 0, finite differences carry rounding noise of about {@code 1e-10 |f|} that
 * the relative error cannot forgive: check a Jacobian element by element, as {@link #check} does,
 * rather than a large weighted sum.
 */
public final class GradCheck {
  private final Function<List<Var>, Var> function;
  private final double eps;
  private final double tolerance;

  private GradCheck(Function<List<Var>, Var> function, double eps, double tolerance) {
    this.function = function;
    this.eps = eps;
    this.tolerance = tolerance;
  }

  /** A check of {@code function}, which maps input values to an output value. */
  public static GradCheck of(Function<List<Var>, Var> function) {
    return new GradCheck(function, 1e-6, 1e-6);
  }

  /** The finite-difference step; 1e-6 by default. */
  public GradCheck eps(double eps) {
    checkArgument(eps > 0, "gradcheck: eps must be positive, was %s", eps);
    return new GradCheck(function, eps, tolerance);
  }

  /** The largest relative error accepted; 1e-6 by default. */
  public GradCheck tolerance(double tolerance) {
    checkArgument(tolerance > 0, "gradcheck: tolerance must be positive, was %s", tolerance);
    return new GradCheck(function, eps, tolerance);
  }

  /**
   * Compares the Jacobian of f with finite differences, element by element: for each output element
   * k, the tape's vector-Jacobian product with the unit vector e_k, against {@code (f(x + ε e_j) -
   * f(x - ε e_j))_k / 2ε} for every input element j.
   */
  public GradCheckResult check(Tensor... inputs) {
    List<List<Tensor>> rows = new ArrayList<>();
    Shape outputShape;
    try (Tape tape = Tape.record()) {
      List<Var> vars = leaves(inputs);
      Var y = function.apply(vars);
      outputShape = y.shape();
      for (int k = 0; k < y.value().size(); k++) {
        Gradients gradients = tape.gradient(y, unit(outputShape, k), vars);
        rows.add(vars.stream().map(gradients::tensor).toList());
      }
    }
    Worst worst = new Worst("first-order");
    for (int i = 0; i < inputs.length; i++) {
      for (int j = 0; j < inputs[i].size(); j++) {
        Tensor numeric = centralDifference(inputs, i, j, this::evaluate);
        for (int k = 0; k < numeric.size(); k++) {
          String row = outputShape.rank() == 0 ? "" : "output " + coordinates(outputShape, k);
          worst.offer(rows.get(k).get(i).getFlat(j), numeric.getFlat(k), i, inputs[i], j, row);
        }
      }
    }
    return worst.result(tolerance);
  }

  /**
   * Compares the Hessian of a scalar f with finite differences of its gradient, element by element.
   * The tape's Hessian comes from differentiating the recorded backward pass: the gradient is taken
   * on an inner tape inside an outer one, and each of its elements is differentiated on the outer
   * tape.
   */
  public GradCheckResult checkSecondOrder(Tensor... inputs) {
    List<List<List<Tensor>>> hessianRows = new ArrayList<>();
    try (Tape outer = Tape.record()) {
      List<Var> vars = leaves(inputs);
      List<Var> gradient = recordedGradient(vars);
      for (int i = 0; i < inputs.length; i++) {
        List<List<Tensor>> rowsOfInput = new ArrayList<>();
        for (int j = 0; j < inputs[i].size(); j++) {
          Var element = gradient.get(i).mul(Var.constant(unit(inputs[i].shape(), j))).sum();
          Gradients second = outer.gradient(element, vars);
          rowsOfInput.add(vars.stream().map(second::tensor).toList());
        }
        hessianRows.add(rowsOfInput);
      }
    }
    Worst worst = new Worst("second-order");
    for (int i = 0; i < inputs.length; i++) {
      for (int j = 0; j < inputs[i].size(); j++) {
        List<Tensor> column = centralDifferences(inputs, i, j);
        for (int r = 0; r < inputs.length; r++) {
          for (int s = 0; s < inputs[r].size(); s++) {
            String row = "the gradient of input " + r + " " + coordinates(inputs[r].shape(), s);
            double tape = hessianRows.get(r).get(s).get(i).getFlat(j);
            worst.offer(tape, column.get(r).getFlat(s), i, inputs[i], j, row);
          }
        }
      }
    }
    return worst.result(tolerance);
  }

  /**
   * Compares {@code <v, ∇f(x)>} with {@code (f(x + εv) - f(x - εv)) / 2ε} for a random direction v
   * over all inputs at once, drawn from a standard normal with {@code seed}; f must be scalar.
   */
  public GradCheckResult checkRandomDirection(long seed, Tensor... inputs) {
    Random random = new Random(seed);
    List<Tensor> direction = new ArrayList<>();
    for (Tensor input : inputs) {
      direction.add(Tensor.randomNormal(input.shape(), 0, 1, random));
    }
    List<Tensor> tape = tapeGradients(inputs);
    double analytic = 0;
    for (int i = 0; i < inputs.length; i++) {
      analytic += Reductions.dot(tape.get(i), direction.get(i));
    }
    double numeric =
        (scalar(evaluate(shifted(inputs, direction, eps)))
                - scalar(evaluate(shifted(inputs, direction, -eps))))
            / (2 * eps);
    Worst worst = new Worst("random-direction");
    worst.offer(analytic, numeric, 0, Tensor.scalar(0), 0, "");
    return worst.result(tolerance);
  }

  /**
   * Compares gradients derived by hand (such as the BPTT equations of a textbook) with the tape's
   * gradients of a scalar f, element by element, one per input in order.
   */
  public GradCheckResult checkHandDerived(List<Tensor> handDerived, Tensor... inputs) {
    checkArgument(
        handDerived.size() == inputs.length,
        "gradcheck: %s hand-derived gradients for %s inputs",
        handDerived.size(),
        inputs.length);
    for (int i = 0; i < inputs.length; i++) {
      checkArgument(
          handDerived.get(i).shape().equals(inputs[i].shape()),
          "gradcheck: hand-derived gradient %s has shape %s but input %s has shape %s",
          i,
          handDerived.get(i).shape(),
          i,
          inputs[i].shape());
    }
    List<Tensor> tape = tapeGradients(inputs);
    Worst worst = new Worst("hand-derived");
    for (int i = 0; i < inputs.length; i++) {
      for (int j = 0; j < inputs[i].size(); j++) {
        worst.offer(tape.get(i).getFlat(j), handDerived.get(i).getFlat(j), i, inputs[i], j, "");
      }
    }
    return worst.result(tolerance);
  }

  /** The tape's gradient of a scalar f at {@code inputs}, one tensor per input. */
  public List<Tensor> tapeGradients(Tensor... inputs) {
    try (Tape tape = Tape.record()) {
      List<Var> vars = leaves(inputs);
      Gradients gradients = tape.gradient(scalarOutput(vars), vars);
      return vars.stream().map(gradients::tensor).toList();
    }
  }

  private Var scalarOutput(List<Var> vars) {
    Var y = function.apply(vars);
    checkArgument(
        y.value().size() == 1,
        "gradcheck: this check needs a function with one output element, but it returned shape %s",
        y.shape());
    return y;
  }

  /** The gradient of a scalar f, itself recorded on the tapes open around this call. */
  private List<Var> recordedGradient(List<Var> vars) {
    try (Tape inner = Tape.record()) {
      Gradients gradients = inner.gradient(scalarOutput(vars), vars);
      return vars.stream().map(gradients::of).toList();
    }
  }

  /**
   * f at {@code inputs}. Recording is left on, so that f may itself take gradients on tapes of its
   * own (a gradient penalty, a Hessian-vector product); with no tape open, nothing is recorded.
   */
  private Tensor evaluate(Tensor[] inputs) {
    return function.apply(leaves(inputs)).value();
  }

  private static double scalar(Tensor value) {
    checkArgument(
        value.size() == 1,
        "gradcheck: this check needs a function with one output element, but it returned shape %s",
        value.shape());
    return value.item();
  }

  /** The gradient of a scalar f at {@code inputs ± ε e_j}, differenced: a column of the Hessian. */
  private List<Tensor> centralDifferences(Tensor[] inputs, int input, int element) {
    List<Tensor> plus = tapeGradients(nudged(inputs, input, element, eps));
    List<Tensor> minus = tapeGradients(nudged(inputs, input, element, -eps));
    List<Tensor> column = new ArrayList<>();
    for (int r = 0; r < inputs.length; r++) {
      column.add(Pointwise.scale(Pointwise.sub(plus.get(r), minus.get(r)), 1 / (2 * eps)));
    }
    return column;
  }

  private Tensor centralDifference(
      Tensor[] inputs, int input, int element, Function<Tensor[], Tensor> f) {
    Tensor plus = f.apply(nudged(inputs, input, element, eps));
    Tensor minus = f.apply(nudged(inputs, input, element, -eps));
    return Pointwise.scale(Pointwise.sub(plus, minus), 1 / (2 * eps));
  }

  private static Tensor[] nudged(Tensor[] inputs, int input, int element, double step) {
    Tensor[] result = inputs.clone();
    result[input] = inputs[input].withFlat(element, inputs[input].getFlat(element) + step);
    return result;
  }

  private static Tensor[] shifted(Tensor[] inputs, List<Tensor> direction, double step) {
    Tensor[] result = new Tensor[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      result[i] = Pointwise.add(inputs[i], Pointwise.scale(direction.get(i), step));
    }
    return result;
  }

  /** The unit tensor of {@code shape} with a 1 at row-major position {@code k}. */
  private static Tensor unit(Shape shape, int k) {
    return Layout.oneHot(new int[] {k}, shape.size()).reshape(shape);
  }

  private static List<Var> leaves(Tensor[] inputs) {
    List<Var> vars = new ArrayList<>();
    for (Tensor input : inputs) {
      vars.add(Var.constant(input));
    }
    return vars;
  }

  private static String coordinates(Shape shape, int flat) {
    return java.util.Arrays.toString(unflatten(shape, flat));
  }

  private static int[] unflatten(Shape shape, int flat) {
    int[] dims = shape.toArray();
    int[] coordinates = new int[dims.length];
    for (int axis = dims.length - 1; axis >= 0; axis--) {
      coordinates[axis] = flat % dims[axis];
      flat /= dims[axis];
    }
    return coordinates;
  }

  /** Tracks the worst comparison so far; a NaN error is the worst of all. */
  private static final class Worst {
    private final String what;
    private double error;
    private String row = "";
    private int input;
    private int[] index = new int[0];
    private double expected;
    private double actual;
    private int comparisons;

    Worst(String what) {
      this.what = what;
    }

    void offer(double tape, double reference, int inputIndex, Tensor of, int flat, String where) {
      comparisons++;
      double e = GradCheckResult.relativeError(tape, reference);
      boolean worse = comparisons == 1 || e > error || (Double.isNaN(e) && !Double.isNaN(error));
      if (worse) {
        error = e;
        row = where;
        input = inputIndex;
        index = unflatten(of.shape(), flat);
        expected = reference;
        actual = tape;
      }
    }

    GradCheckResult result(double tolerance) {
      return new GradCheckResult(
          what, row, error, tolerance, input, index, expected, actual, comparisons);
    }
  }
}
