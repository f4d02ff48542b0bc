package dev.rewind.autodiff.ops;

import dev.rewind.autodiff.check.GradCheck;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Layout;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitrary;

/**
 * One op under test: how to apply it, and a generator of well-conditioned inputs for it.
 *
 * @param name the case's name in reports
 * @param inputs inputs kept away from the op's kinks and from overflow
 * @param apply the op applied to the inputs
 * @param eps the finite-difference step of the gradient checks (never the tolerance, which stays
 *     1e-6)
 */
record OpCase(
    String name, Arbitrary<List<Tensor>> inputs, Function<List<Var>, Var> apply, double eps) {

  /** A case checked with {@link GradCheck}'s default step, 1e-6. */
  OpCase(String name, Arbitrary<List<Tensor>> inputs, Function<List<Var>, Var> apply) {
    this(name, inputs, apply, 1e-6);
  }

  /**
   * One element of the op's output, at row-major position {@code k} modulo the output's size: a
   * scalar function whose Hessian the second-order check compares element by element.
   */
  Var outputElement(List<Var> vars, int k) {
    Var output = apply.apply(vars);
    int position = k % output.value().size();
    Tensor unit =
        Layout.oneHot(new int[] {position}, output.value().size()).reshape(output.shape());
    return output.mul(Var.constant(unit)).sum();
  }

  @Override
  public String toString() {
    return name;
  }
}
