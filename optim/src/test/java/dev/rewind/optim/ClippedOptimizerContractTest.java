package dev.rewind.optim;

import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.optim.clip.ClipByTensorNorm;
import dev.rewind.optim.clip.ClippedOptimizer;
import dev.rewind.optim.clip.NonFinitePolicy;
import java.util.List;

/** Per-tensor clipping keeps state per parameter; global clipping couples them on purpose. */
class ClippedOptimizerContractTest extends OptimizerContract {
  @Override
  protected Optimizer create(List<Parameter> parameters) {
    return new ClippedOptimizer(
        Adam.builder(parameters).learningRate(0.05).build(),
        ClipByTensorNorm.l2(1.0),
        NonFinitePolicy.THROW);
  }
}
