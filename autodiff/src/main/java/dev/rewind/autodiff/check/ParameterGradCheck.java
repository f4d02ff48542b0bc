package dev.rewind.autodiff.check;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.Sets;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.DType;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A {@link GradCheck} of a loss over parameters that it reads itself, such as a layer's {@code
 * namedParameters()}, made by {@link GradCheck#ofParameters}. The point is the parameters' current
 * values; the finite differences {@link Parameter#assign assign} nudged values and evaluate the
 * loss, and the tape differentiates it with respect to the parameters. Every check restores every
 * parameter's original value (the same tensor) before it returns, and before it throws if the loss
 * throws. Results name the parameter by its key in the map. Checks run in float64: a float32
 * parameter is refused, naming it.
 */
public final class ParameterGradCheck {
  private final List<String> names;
  private final List<Parameter> parameters;
  private final GradCheck check;

  ParameterGradCheck(
      Map<String, ? extends Parameter> parameters, Supplier<Var> loss, GradCheck settings) {
    checkArgument(!parameters.isEmpty(), "gradcheck: no parameters");
    Set<Parameter> distinct = Sets.newIdentityHashSet();
    for (Map.Entry<String, ? extends Parameter> entry : parameters.entrySet()) {
      checkArgument(
          distinct.add(entry.getValue()),
          "gradcheck: parameter '%s' is listed twice, the second time as '%s'",
          entry.getValue().name(),
          entry.getKey());
    }
    this.names = ImmutableList.copyOf(parameters.keySet());
    this.parameters = ImmutableList.<Parameter>copyOf(parameters.values());
    this.check = settings.overParameters(this.parameters, names);
  }

  private ParameterGradCheck(List<String> names, List<Parameter> parameters, GradCheck settings) {
    this.names = names;
    this.parameters = parameters;
    this.check = settings.overParameters(parameters, names);
  }

  /** The finite-difference step ε, as {@link GradCheck#eps}. */
  public ParameterGradCheck eps(double eps) {
    return new ParameterGradCheck(names, parameters, check.eps(eps));
  }

  /** The tolerance, as {@link GradCheck#tolerance}. */
  public ParameterGradCheck tolerance(double tolerance) {
    return new ParameterGradCheck(names, parameters, check.tolerance(tolerance));
  }

  /** The whole Jacobian of the loss with respect to every parameter, as {@link GradCheck#check}. */
  public GradCheckResult check() {
    return restoring("check", values -> check.check(values));
  }

  /** The whole Hessian of a scalar loss, as {@link GradCheck#checkSecondOrder}. */
  public GradCheckResult checkSecondOrder() {
    return restoring("checkSecondOrder", values -> check.checkSecondOrder(values));
  }

  /** One seeded random direction, as {@link GradCheck#checkRandomDirection}. */
  public GradCheckResult checkRandomDirection(long seed) {
    return restoring("checkRandomDirection", values -> check.checkRandomDirection(seed, values));
  }

  /** The curvature along one direction, as {@link GradCheck#checkSecondOrderRandomDirection}. */
  public GradCheckResult checkSecondOrderRandomDirection(long seed) {
    return restoring(
        "checkSecondOrderRandomDirection",
        values -> check.checkSecondOrderRandomDirection(seed, values));
  }

  /** A seeded vector-Jacobian product of a loss of any shape, as {@link GradCheck#checkVjp}. */
  public GradCheckResult checkVjp(long seed) {
    return restoring("checkVjp", values -> check.checkVjp(seed, values));
  }

  /**
   * Gradients derived by hand against the tape's, as {@link GradCheck#checkHandDerived}: one per
   * parameter, under the parameter's key, in any order.
   */
  public GradCheckResult checkHandDerived(Map<String, Tensor> handDerived) {
    checkArgument(
        handDerived.keySet().equals(Set.copyOf(names)),
        "gradcheck: hand-derived gradients for %s but the parameters are %s",
        handDerived.keySet(),
        names);
    List<Tensor> inOrder = names.stream().map(handDerived::get).toList();
    return restoring("checkHandDerived", values -> check.checkHandDerived(inOrder, values));
  }

  /**
   * Runs a check at the parameters' current values and assigns those values back after it; refuses
   * a float32 parameter first, naming it and the check.
   */
  private GradCheckResult restoring(String name, Function<Tensor[], GradCheckResult> run) {
    for (int i = 0; i < parameters.size(); i++) {
      DType dtype = parameters.get(i).dtype();
      checkArgument(
          dtype == DType.FLOAT64,
          "gradcheck %s: parameter '%s' %s is %s; gradient checks run in float64: convert it with"
              + " convertTo(DType.FLOAT64), or its layer with to(DType.FLOAT64)",
          name,
          names.get(i),
          parameters.get(i).shape(),
          dtype);
    }
    Tensor[] original = parameters.stream().map(Var::value).toArray(Tensor[]::new);
    try {
      return run.apply(original.clone());
    } finally {
      for (int i = 0; i < original.length; i++) {
        parameters.get(i).assign(original[i]);
      }
    }
  }
}
