package dev.rewind.autodiff.check;

import static com.google.common.base.Preconditions.checkArgument;

import dev.rewind.autodiff.tape.Gradients;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The function f a check differentiates, with the leaves it is applied to at a point: its value
 * there, and its gradient from the tape, taken plainly or itself recorded.
 */
final class TapedFunction {
  private final Function<List<Var>, Var> function;

  /**
   * The leaves f is applied to at a point: constants, or parameters assigned the point's values.
   */
  private final Function<Tensor[], List<Var>> leaves;

  private TapedFunction(Function<List<Var>, Var> function, Function<Tensor[], List<Var>> leaves) {
    this.function = function;
    this.leaves = leaves;
  }

  /** {@code function} applied to constants holding the point's values. */
  static TapedFunction overConstants(Function<List<Var>, Var> function) {
    return new TapedFunction(function, TapedFunction::constants);
  }

  /** The same f, applied to the leaves that {@code leaves} makes of a point's values. */
  TapedFunction withLeaves(Function<Tensor[], List<Var>> leaves) {
    return new TapedFunction(function, leaves);
  }

  /** The leaves at {@code inputs}, for f to be applied to on a tape the caller holds. */
  List<Var> leaves(Tensor[] inputs) {
    return leaves.apply(inputs);
  }

  Var apply(List<Var> vars) {
    return function.apply(vars);
  }

  /**
   * f at {@code inputs}. Recording is left on, so that f may itself take gradients on tapes of its
   * own (a gradient penalty, a Hessian-vector product); with no tape open, nothing is recorded.
   */
  Tensor value(Tensor[] inputs) {
    return function.apply(leaves(inputs)).value();
  }

  /** f at {@code inputs}, which must have one element. */
  double scalarValue(Tensor[] inputs) {
    Tensor value = value(inputs);
    checkArgument(
        value.size() == 1,
        "gradcheck: this check needs a function with one output element, but it returned shape %s",
        value.shape());
    return value.item();
  }

  /** The tape's gradient of a scalar f at {@code inputs}, one tensor per input. */
  List<Tensor> gradient(Tensor[] inputs) {
    try (Tape tape = Tape.record()) {
      List<Var> vars = leaves(inputs);
      Gradients gradients = tape.gradient(scalarOutput(vars), vars);
      return vars.stream().map(gradients::tensor).toList();
    }
  }

  /** The gradient of a scalar f, itself recorded on the tapes open around this call. */
  List<Var> recordedGradient(List<Var> vars) {
    try (Tape inner = Tape.record()) {
      Gradients gradients = inner.gradient(scalarOutput(vars), vars);
      return vars.stream().map(gradients::of).toList();
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

  private static List<Var> constants(Tensor[] inputs) {
    List<Var> vars = new ArrayList<>();
    for (Tensor input : inputs) {
      vars.add(Var.constant(input));
    }
    return vars;
  }
}
