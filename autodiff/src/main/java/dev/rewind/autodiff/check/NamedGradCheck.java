package dev.rewind.autodiff.check;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A {@link GradCheck} of a function of named inputs, made by {@link GradCheck#ofNamed}: each check
 * takes the point as a map from names to tensors, in the map's order, and its result names the
 * input ({@code at input 'w' [1, 0]}) where a positional check gives its index.
 */
public final class NamedGradCheck {
  private final Function<Map<String, Var>, Var> function;
  private final GradCheck settings;

  NamedGradCheck(Function<Map<String, Var>, Var> function, GradCheck settings) {
    this.function = function;
    this.settings = settings;
  }

  /** The finite-difference step ε, as {@link GradCheck#eps}. */
  public NamedGradCheck eps(double eps) {
    return new NamedGradCheck(function, settings.eps(eps));
  }

  /** The tolerance, as {@link GradCheck#tolerance}. */
  public NamedGradCheck tolerance(double tolerance) {
    return new NamedGradCheck(function, settings.tolerance(tolerance));
  }

  /** The whole Jacobian, as {@link GradCheck#check}. */
  public GradCheckResult check(Map<String, Tensor> inputs) {
    return positional(inputs).check(values(inputs));
  }

  /** The whole Hessian of a scalar f, as {@link GradCheck#checkSecondOrder}. */
  public GradCheckResult checkSecondOrder(Map<String, Tensor> inputs) {
    return positional(inputs).checkSecondOrder(values(inputs));
  }

  /** One seeded random direction, as {@link GradCheck#checkRandomDirection}. */
  public GradCheckResult checkRandomDirection(long seed, Map<String, Tensor> inputs) {
    return positional(inputs).checkRandomDirection(seed, values(inputs));
  }

  /** The curvature along one direction, as {@link GradCheck#checkSecondOrderRandomDirection}. */
  public GradCheckResult checkSecondOrderRandomDirection(long seed, Map<String, Tensor> inputs) {
    return positional(inputs).checkSecondOrderRandomDirection(seed, values(inputs));
  }

  /** A seeded vector-Jacobian product, as {@link GradCheck#checkVjp}. */
  public GradCheckResult checkVjp(long seed, Map<String, Tensor> inputs) {
    return positional(inputs).checkVjp(seed, values(inputs));
  }

  /** The positional check of f, its inputs in the order of {@code inputs}. */
  private GradCheck positional(Map<String, Tensor> inputs) {
    checkArgument(!inputs.isEmpty(), "gradcheck: no inputs");
    List<String> names = ImmutableList.copyOf(inputs.keySet());
    Function<List<Var>, Var> byPosition =
        vars -> {
          ImmutableMap.Builder<String, Var> named = ImmutableMap.builder();
          for (int i = 0; i < names.size(); i++) {
            named.put(names.get(i), vars.get(i));
          }
          return function.apply(named.buildOrThrow());
        };
    return settings.over(byPosition, names);
  }

  private static Tensor[] values(Map<String, Tensor> inputs) {
    return inputs.values().toArray(Tensor[]::new);
  }
}
