package dev.rewind.optim;

import dev.rewind.autodiff.tape.Parameter;
import java.util.List;

class RpropMinusContractTest extends OptimizerContract {
  @Override
  protected Optimizer create(List<Parameter> parameters) {
    return Rprop.builder(RpropVariant.RPROP_MINUS, parameters).initialStep(0.05).build();
  }
}
