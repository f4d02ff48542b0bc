package dev.rewind.optim;

import dev.rewind.autodiff.tape.Parameter;
import java.util.List;

class SgdMomentumContractTest extends OptimizerContract {
  @Override
  protected Optimizer create(List<Parameter> parameters) {
    return Sgd.builder(parameters).learningRate(0.05).momentum(0.8).dampening(0.2).build();
  }
}
