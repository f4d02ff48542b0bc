package dev.rewind.train;

import com.google.common.collect.ImmutableList;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.Pointwise;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.optim.Optimizer;
import dev.rewind.optim.OptimizerState;
import dev.rewind.optim.ParameterGradients;
import dev.rewind.optim.StepReport;
import java.util.ArrayList;
import java.util.List;

/**
 * An optimizer that moves nothing and remembers every step's gradients, so that a test can sum what
 * the windows of a truncated run computed.
 */
final class RecordingOptimizer implements Optimizer {
  private final ImmutableList<Parameter> parameters;
  private final List<ParameterGradients> steps = new ArrayList<>();

  RecordingOptimizer(List<Parameter> parameters) {
    this.parameters = ImmutableList.copyOf(parameters);
  }

  @Override
  public ImmutableList<Parameter> parameters() {
    return parameters;
  }

  @Override
  public long steps() {
    return steps.size();
  }

  @Override
  public StepReport step(ParameterGradients gradients) {
    steps.add(gradients);
    return StepReport.taken(0);
  }

  /** The gradient of {@code parameter} summed over every step. */
  Tensor summed(Parameter parameter) {
    Tensor sum = Tensor.zeros(parameter.shape());
    for (ParameterGradients step : steps) {
      sum = Pointwise.add(sum, step.tensor(parameter));
    }
    return sum;
  }

  @Override
  public OptimizerState exportState() {
    throw new UnsupportedOperationException("a recording optimizer has no state to save");
  }

  @Override
  public void restoreState(OptimizerState state) {
    throw new UnsupportedOperationException("a recording optimizer has no state to restore");
  }
}
