package dev.rewind.optim;

import dev.rewind.autodiff.tape.Parameter;
import java.util.List;

class RpropPlusContractTest extends OptimizerContract {
  @Override
  protected Optimizer create(List<Parameter> parameters) {
    return Rprop.builder(RpropVariant.RPROP_PLUS, parameters).initialStep(0.05).build();
  }
}
