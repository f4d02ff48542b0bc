package dev.rewind.optim;

import dev.rewind.autodiff.tape.Parameter;
import java.util.List;

class SgdNesterovContractTest extends OptimizerContract {
  @Override
  protected Optimizer create(List<Parameter> parameters) {
    return Sgd.builder(parameters).learningRate(0.05).momentum(0.9).nesterov().build();
  }
}
