package dev.rewind.optim;

import dev.rewind.autodiff.tape.Parameter;
import java.util.List;

class AdamWContractTest extends OptimizerContract {
  @Override
  protected Optimizer create(List<Parameter> parameters) {
    return AdamW.builder(parameters).learningRate(0.05).weightDecay(0).build();
  }
}
