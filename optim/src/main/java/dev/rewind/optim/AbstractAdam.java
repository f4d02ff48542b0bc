package dev.rewind.optim;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * The per-parameter Adam update shared by {@link Adam} and {@link AdamW}: the moments live in two
 * slots updated in place by {@link AdamMoments.Step#move}. Subclasses write the loop over elements,
 * in {@link #move}, saying how weight decay enters.
 */
abstract class AbstractAdam extends AbstractOptimizer {
  final AdamMoments moments;

  AbstractAdam(String name, ImmutableMap<String, Parameter> parameters, AdamMoments moments) {
    super(name, parameters);
    this.moments = moments;
  }

  @Override
  protected final void update(ParameterGradients gradients, long step) {
    double rate = Hyperparameters.rateAt(name(), moments.learningRate, step);
    for (Parameter parameter : parameters()) {
      double[] m = slot(parameter, AdamMoments.FIRST_MOMENT, 0);
      double[] v = slot(parameter, AdamMoments.SECOND_MOMENT, 0);
      AdamMoments.Step adamStep = moments.step(rate, step + 1, m, v);
      double[] next = valueBuffer(parameter);
      move(parameter.value(), gradients.tensor(parameter), adamStep, next);
      assign(parameter, next);
    }
  }

  /**
   * Writes into {@code next} the parameter's {@code value} moved by {@code step}, with weight decay
   * λ, given its {@code gradient}; the arrays are row-major.
   */
  abstract void move(Tensor value, Tensor gradient, AdamMoments.Step step, double[] next);
}
