package dev.rewind.autodiff.check;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Reductions;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Checks the tape's derivatives against finite differences in float64. Each derivative is compared
 * with the five-point central difference, the Richardson extrapolation of the central differences
 * at the steps ε and 2ε:
 *
 * <pre>
 *   numeric = (f(x - 2ε e_j) - 8 f(x - ε e_j) + 8 f(x + ε e_j) - f(x + 2ε e_j)) / 12ε
 *   error   = |tape - numeric| / max(1e-8, |tape| + |numeric| + ν / tolerance)
 * </pre>
 *
 * An element passes when its error is at most the tolerance, that is when {@code |tape - numeric|
 * <= tolerance (|tape| + |numeric|) + ν}: to the relative tolerance where finite differences
 * resolve the derivative, and to their own rounding error ν where they cannot. The truncation error
 * of the extrapolation is {@code ε⁴ |f⁽⁵⁾| / 30}, below 1e-20 at the default step; its rounding
 * error does not shrink with the derivative, and where a derivative vanishes or nearly cancels (a
 * sigmoid's second derivative at a pre-activation of 0, a product with the tanh of an argument near
 * 0) it is all the numeric value holds: a unit in the last place of f divided by 2ε, 1e-13 for
 * values near 0.01 at ε = 5e-6, is a relative error of 1 on a derivative of 1e-13. ν bounds it from
 * the values themselves, {@code ν = max(4 σ, 2 u F) / ε}: σ is the rounding noise of f's values,
 * measured from their fourth differences along every direction checked (at these steps, rounding
 * error alone); u is 2⁻⁵³ and F the largest magnitude among f's values.
 *
 * <p>The worst element is reported with its index, both values and ν. Six checks:
 *
 * <ul>
 *   <li>{@link #check}: first order, the whole Jacobian of f (which may return any shape), one
 *       element at a time;
 *   <li>{@link #checkSecondOrder}: the gradient of the gradient — the whole Hessian of a scalar f,
 *       computed by recording the backward pass on an outer tape;
 *   <li>{@link #checkRandomDirection}: {@code <v, ∇f>} against the finite differences along one
 *       seeded random direction v, as JAX's {@code check_grads}: five evaluations of f whatever the
 *       number of weights or time steps;
 *   <li>{@link #checkSecondOrderRandomDirection}: the curvature {@code dᵀ H d} along one seeded
 *       random direction d, from the recorded backward pass, against the differences of {@code <∇f,
 *       d>} along d: a second-order check whose cost does not grow with the inputs;
 *   <li>{@link #checkVjp}: the vector-Jacobian product with one seeded random cotangent u of f's
 *       shape, against the differences of {@code <u, f>} along every input element, as JAX's {@code
 *       check_vjp};
 *   <li>{@link #checkHandDerived}: gradients derived on paper (a textbook's BPTT equations) against
 *       the tape's, by the relative error alone ({@code ν = 0}).
 * </ul>
 *
 * <pre>{@code
 * GradCheck.of(in -> in.get(0).matmul(in.get(1)).tanh().sum()).check(x, w).orThrow();
 * }</pre>
 *
 * <p>{@link #ofNamed} checks a function of named inputs ({@code in.get("w")}), and {@link
 * #ofParameters} a loss over parameters it reads itself, such as a layer's {@code
 * namedParameters()}; their results name the input.
 *
 * <p>Every check runs in float64, which finite differences need: a float32 input is refused, naming
 * the check and the input.
 *
 * <p>Keep inputs more than 2ε away from kinks (0 for abs and relu) and away from overflow. Check a
 * Jacobian element by element, as {@link #check} does, rather than one large weighted sum: the
 * noise of the function compared sets ν.
 */
public final class GradCheck {
  private final TapedFunction function;
  private final double eps;
  private final double tolerance;

  /** The inputs' names, in order, for the results; empty where inputs are known by position. */
  private final List<String> inputNames;

  private GradCheck(TapedFunction function, double eps, double tolerance, List<String> inputNames) {
    this.function = function;
    this.eps = eps;
    this.tolerance = tolerance;
    this.inputNames = inputNames;
  }

  /** A check of {@code function}, which maps input values to an output value. */
  public static GradCheck of(Function<List<Var>, Var> function) {
    return new GradCheck(TapedFunction.overConstants(function), 1e-6, 1e-6, List.of());
  }

  /**
   * A check of {@code function}, which maps named input values to an output value; the checks take
   * the point as a map from the same names to tensors, and results name the input.
   *
   * <pre>{@code
   * GradCheck.ofNamed(in -> in.get("x").matmul(in.get("w")).tanh().sum())
   *     .check(ImmutableMap.of("x", x, "w", w))
   *     .orThrow();
   * }</pre>
   */
  public static NamedGradCheck ofNamed(Function<Map<String, Var>, Var> function) {
    // The GradCheck held carries only ε and the tolerance: each check builds one over f and the
    // names of its inputs (see NamedGradCheck.positional).
    return new NamedGradCheck(function, of(GradCheck::settingsOnly));
  }

  /**
   * A check of {@code loss} over the current values of {@code parameters}, such as a layer's {@code
   * namedParameters()}: the loss is differentiated with respect to the parameters themselves, and
   * the finite differences assign nudged values to them. Every check restores every original value
   * before it returns or throws.
   */
  public static ParameterGradCheck ofParameters(
      Map<String, ? extends Parameter> parameters, Supplier<Var> loss) {
    return new ParameterGradCheck(parameters, loss, of(in -> loss.get()));
  }

  private static Var settingsOnly(List<Var> inputs) {
    throw new IllegalStateException("gradcheck: a check holding settings only was applied");
  }

  /** This check's settings (ε and the tolerance) applied to {@code function} over named inputs. */
  GradCheck over(Function<List<Var>, Var> function, List<String> inputNames) {
    return new GradCheck(TapedFunction.overConstants(function), eps, tolerance, inputNames);
  }

  /** This check's settings applied to a loss whose leaves are {@code parameters}, by name. */
  GradCheck overParameters(List<? extends Parameter> parameters, List<String> inputNames) {
    Function<Tensor[], List<Var>> assigned =
        values -> {
          for (int i = 0; i < values.length; i++) {
            parameters.get(i).assign(values[i]);
          }
          return List.copyOf(parameters);
        };
    return new GradCheck(function.withLeaves(assigned), eps, tolerance, inputNames);
  }

  /** The finite-difference step ε (the differences also take 2ε); 1e-6 by default. */
  public GradCheck eps(double eps) {
    checkArgument(eps > 0, "gradcheck: eps must be positive, was %s", eps);
    return new GradCheck(function, eps, tolerance, inputNames);
  }

  /**
   * The largest relative error accepted where finite differences resolve the derivative; 1e-6 by
   * default.
   */
  public GradCheck tolerance(double tolerance) {
    checkArgument(tolerance > 0, "gradcheck: tolerance must be positive, was %s", tolerance);
    return new GradCheck(function, eps, tolerance, inputNames);
  }

  /**
   * Compares the Jacobian of f with finite differences, element by element: for each output element
   * k, the tape's vector-Jacobian product with the unit vector e_k, against the five-point
   * differences of {@code f_k} along every input element j; f is evaluated four times per input
   * element, and once at x.
   */
  public GradCheckResult check(Tensor... inputs) {
    checkFloat64("check", inputs);
    List<List<Tensor>> rows = new ArrayList<>();
    Shape outputShape;
    try (Tape tape = Tape.record()) {
      List<Var> vars = function.leaves(inputs);
      Var y = function.apply(vars);
      outputShape = y.shape();
      for (int k = 0; k < y.value().size(); k++) {
        Gradients gradients = tape.gradient(y, Points.unit(outputShape, k), vars);
        rows.add(vars.stream().map(gradients::tensor).toList());
      }
    }
    Stencil stencil = new Stencil(eps, List.of(function.value(inputs)));
    List<List<Tensor>> columns = new ArrayList<>();
    for (int i = 0; i < inputs.length; i++) {
      List<Tensor> columnsOfInput = new ArrayList<>();
      for (int j = 0; j < inputs[i].size(); j++) {
        int input = i;
        int element = j;
        columnsOfInput.add(
            stencil
                .derivative(
                    step -> List.of(function.value(Points.nudged(inputs, input, element, step))))
                .get(0));
      }
      columns.add(columnsOfInput);
    }
    double resolution = stencil.resolution();
    Worst worst = new Worst("first-order", tolerance, inputNames);
    for (int i = 0; i < inputs.length; i++) {
      for (int j = 0; j < inputs[i].size(); j++) {
        Tensor column = columns.get(i).get(j);
        for (int k = 0; k < column.size(); k++) {
          String row =
              outputShape.rank() == 0 ? "" : "output " + Points.coordinates(outputShape, k);
          double tape = rows.get(k).get(i).getFlat(j);
          worst.offer(tape, column.getFlat(k), resolution, i, inputs[i], j, row);
        }
      }
    }
    return worst.result();
  }

  /**
   * Compares the Hessian of a scalar f with the five-point differences of its gradient, element by
   * element (ν then bounds the rounding error of the differenced gradient). The tape's Hessian
   * comes from differentiating the recorded backward pass: the gradient is taken on an inner tape
   * inside an outer one, and each of its elements is differentiated on the outer tape.
   */
  public GradCheckResult checkSecondOrder(Tensor... inputs) {
    checkFloat64("checkSecondOrder", inputs);
    return secondOrder().hessian(inputs);
  }

  /**
   * Compares {@code <v, ∇f(x)>} with the five-point differences of f along a random direction v
   * over all inputs at once, drawn from a standard normal with {@code seed}; f must be scalar. With
   * a single value differenced, ν is {@code 2 u F / ε}.
   */
  public GradCheckResult checkRandomDirection(long seed, Tensor... inputs) {
    checkFloat64("checkRandomDirection", inputs);
    List<Tensor> direction = Points.randomDirection(seed, inputs);
    double analytic = Points.along(tapeGradients(inputs), direction);
    Stencil stencil = new Stencil(eps, List.of(Tensor.scalar(function.scalarValue(inputs))));
    double numeric =
        stencil
            .derivative(
                step ->
                    List.of(
                        Tensor.scalar(
                            function.value(Points.shifted(inputs, direction, step)).item())))
            .get(0)
            .item();
    Worst worst = new Worst("random-direction", tolerance, List.of());
    worst.offer(analytic, numeric, stencil.resolution(), 0, Tensor.scalar(0), 0, "");
    return worst.result();
  }

  /**
   * Compares the curvature {@code dᵀ H d} of a scalar f along a random direction d over all inputs
   * at once, drawn from a standard normal with {@code seed}, with the five-point differences of
   * {@code <∇f, d>} along d. The tape's {@code H d} is the gradient of {@code <∇f, d>}, the
   * gradient recorded on an outer tape as {@link #checkSecondOrder} records it; the differences
   * take the tape's gradient at four points. The cost, one double backward and four backward
   * passes, does not grow with the number of input elements, where {@link #checkSecondOrder} takes
   * a double backward and four backward passes per element.
   */
  public GradCheckResult checkSecondOrderRandomDirection(long seed, Tensor... inputs) {
    checkFloat64("checkSecondOrderRandomDirection", inputs);
    return secondOrder().alongRandomDirection(seed, inputs);
  }

  /**
   * Compares the tape's vector-Jacobian product {@code uᵀ J} of an f of any shape, for a cotangent
   * u of f's shape drawn from a standard normal with {@code seed}, with the five-point differences
   * of {@code <u, f>} along every input element, as JAX's {@code check_vjp}. One backward pass
   * replaces {@link #check}'s one per output element; the differences are still taken element by
   * element, so that a wrong derivative is located in its input, at four evaluations of f per
   * element. (For inputs too large for that, {@link #checkRandomDirection} of {@code <u, f>} costs
   * five.)
   */
  public GradCheckResult checkVjp(long seed, Tensor... inputs) {
    checkFloat64("checkVjp", inputs);
    Random random = new Random(seed);
    Tensor cotangent;
    List<Tensor> tape;
    try (Tape recording = Tape.record()) {
      List<Var> vars = function.leaves(inputs);
      Var y = function.apply(vars);
      cotangent = Tensor.randomNormal(y.shape(), 0, 1, random);
      Gradients gradients = recording.gradient(y, cotangent, vars);
      tape = vars.stream().map(gradients::tensor).toList();
    }
    Stencil stencil = new Stencil(eps, List.of(projected(cotangent, inputs)));
    List<double[]> numeric = new ArrayList<>();
    for (int i = 0; i < inputs.length; i++) {
      double[] ofInput = new double[inputs[i].size()];
      for (int j = 0; j < ofInput.length; j++) {
        int input = i;
        int element = j;
        ofInput[j] =
            stencil
                .derivative(
                    step ->
                        List.of(projected(cotangent, Points.nudged(inputs, input, element, step))))
                .get(0)
                .item();
      }
      numeric.add(ofInput);
    }
    double resolution = stencil.resolution();
    Worst worst = new Worst("vector-Jacobian", tolerance, inputNames);
    for (int i = 0; i < inputs.length; i++) {
      for (int j = 0; j < inputs[i].size(); j++) {
        worst.offer(tape.get(i).getFlat(j), numeric.get(i)[j], resolution, i, inputs[i], j, "");
      }
    }
    return worst.result();
  }

  /**
   * Compares gradients derived by hand (such as the BPTT equations of a textbook) with the tape's
   * gradients of a scalar f, element by element, one per input in order.
   */
  public GradCheckResult checkHandDerived(List<Tensor> handDerived, Tensor... inputs) {
    checkFloat64("checkHandDerived", inputs);
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
    Worst worst = new Worst("hand-derived", tolerance, inputNames);
    for (int i = 0; i < inputs.length; i++) {
      for (int j = 0; j < inputs[i].size(); j++) {
        worst.offer(tape.get(i).getFlat(j), handDerived.get(i).getFlat(j), 0, i, inputs[i], j, "");
      }
    }
    return worst.result();
  }

  /**
   * Refuses a float32 input: at the default step of 1e-6, a float32 value near 1 (whose spacing is
   * 1.2e-7) cannot be nudged by the step exactly, and the differences' rounding error, 2⁻²⁴ |f| /
   * ε, is near 0.06 |f|, where the tolerance is 1e-6.
   */
  private void checkFloat64(String check, Tensor[] inputs) {
    for (int i = 0; i < inputs.length; i++) {
      DType dtype = inputs[i].dtype();
      checkArgument(
          dtype == DType.FLOAT64,
          "gradcheck %s: input %s %s is %s; gradient checks run in float64: convert it with"
              + " to(DType.FLOAT64)",
          check,
          inputNames.isEmpty() ? String.valueOf(i) : "'" + inputNames.get(i) + "'",
          inputs[i].shape(),
          dtype);
    }
  }

  /** The tape's gradient of a scalar f at {@code inputs}, one tensor per input. */
  public List<Tensor> tapeGradients(Tensor... inputs) {
    return function.gradient(inputs);
  }

  /** {@code <u, f(x)>}, the scalar whose gradient is the vector-Jacobian product with u. */
  private Tensor projected(Tensor cotangent, Tensor[] inputs) {
    return Tensor.scalar(Reductions.dot(cotangent, function.value(inputs)));
  }

  private SecondOrderCheck secondOrder() {
    return new SecondOrderCheck(function, eps, tolerance, inputNames);
  }
}
