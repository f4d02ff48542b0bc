package dev.rewind.optim;

import dev.rewind.autodiff.tape.Parameter;
import java.util.List;

class AdamContractTest extends OptimizerContract {
  @Override
  protected Optimizer create(List<Parameter> parameters) {
    return Adam.builder(parameters).learningRate(0.05).build();
  }
}
