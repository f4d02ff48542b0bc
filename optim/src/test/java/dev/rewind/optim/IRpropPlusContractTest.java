package dev.rewind.optim;

import dev.rewind.autodiff.tape.Parameter;
import java.util.List;

class IRpropPlusContractTest extends OptimizerContract {
  @Override
  protected Optimizer create(List<Parameter> parameters) {
    return Rprop.builder(RpropVariant.IRPROP_PLUS, parameters).initialStep(0.05).build();
  }
}
