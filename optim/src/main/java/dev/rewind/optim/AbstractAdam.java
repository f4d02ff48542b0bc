package dev.rewind.optim;

import com.google.common.collect.ImmutableMap;
import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tensor.Tensor;

/**
 * The per-parameter Adam update shared by {@link Adam} and {@link AdamW}: read the moments from
 * their slots, take {@link AdamMoments#step}, store the moments and the parameter. Subclasses say
 * only how weight decay enters, in {@link #decay}.
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
      double[] theta = parameter.value().toArray();
      double[] g = gradients.tensor(parameter).toArray();
      decay(theta, g, rate);
      Tensor zeros = Tensor.zeros(parameter.shape());
      double[] m = slot(parameter, AdamMoments.FIRST_MOMENT).orElse(zeros).toArray();
      double[] v = slot(parameter, AdamMoments.SECOND_MOMENT).orElse(zeros).toArray();
      moments.step(theta, g, m, v, rate, step + 1);
      putSlot(parameter, AdamMoments.FIRST_MOMENT, Tensor.of(parameter.shape(), m));
      putSlot(parameter, AdamMoments.SECOND_MOMENT, Tensor.of(parameter.shape(), v));
      parameter.assign(Tensor.of(parameter.shape(), theta));
    }
  }

  /**
   * Applies the weight decay λ of {@code moments} in place, to the parameter {@code theta} or to
   * its gradient {@code g}, before the moment step at learning rate {@code rate}.
   */
  abstract void decay(double[] theta, double[] g, double rate);
}
