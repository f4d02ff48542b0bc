package dev.rewind.optim;

import dev.rewind.autodiff.tape.Parameter;
import java.util.List;

class SgdContractTest extends OptimizerContract {
  @Override
  protected Optimizer create(List<Parameter> parameters) {
    return Sgd.builder(parameters).learningRate(0.1).build();
  }
}
