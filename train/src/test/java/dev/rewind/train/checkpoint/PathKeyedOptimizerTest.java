package dev.rewind.train.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.autodiff.io.Safetensors;
import dev.rewind.autodiff.tape.Tape;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.Layer;
import dev.rewind.layers.Linear;
import dev.rewind.optim.Adam;
import dev.rewind.optim.Optimizer;
import dev.rewind.optim.ParameterGradients;
import dev.rewind.optim.StepReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An optimizer built from a model's {@code namedParameters()} keys its state by dotted path, so two
 * layers may both have a {@code weight}: its checkpoint saves and restores exactly, as one built
 * from a plain list does.
 */
class PathKeyedOptimizerTest {
  @TempDir Path folder;

  /** Two linear layers: both parameters of each are named {@code weight} and {@code bias}. */
  static final class TwoLayers extends Layer {
    final Linear first;
    final Linear second;

    TwoLayers(Random random) {
      first = child("first", new Linear(3, 4, random));
      second = child("second", new Linear(4, 1, random));
    }

    Var apply(Var x) {
      return second.apply(first.apply(x).tanh());
    }
  }

  @Test
  void aPathKeyedOptimizerSavesAndRestoresExactly() throws Exception {
    TwoLayers model = new TwoLayers(new Random(1));
    Optimizer adam = Adam.builder(model.namedParameters()).learningRate(0.01).build();
    Random data = new Random(2);
    for (int i = 0; i < 3; i++) {
      step(model, adam, data);
    }
    Path file = folder.resolve("two.ckpt");
    Checkpoint.save(file, model, adam, data, Progress.of(3, 3));
    assertEquals(
        List.of(
            "optimizer.first.weight.firstMoment",
            "optimizer.first.weight.secondMoment",
            "optimizer.first.bias.firstMoment"),
        Safetensors.readContents(file).tensors().keySet().asList().subList(4, 7));

    TwoLayers fresh = new TwoLayers(new Random(9));
    Optimizer freshAdam = Adam.builder(fresh.namedParameters()).learningRate(0.01).build();
    Checkpoint.Restored restored = Checkpoint.load(file, fresh, freshAdam);
    assertEquals(adam.exportState(), freshAdam.exportState());

    step(model, adam, data);
    step(fresh, freshAdam, restored.random());
    for (String name : model.namedParameters().keySet()) {
      assertEquals(
          model.namedParameters().get(name).value(),
          fresh.namedParameters().get(name).value(),
          name);
    }
  }

  private static void step(TwoLayers model, Optimizer optimizer, Random data) {
    Var x =
        Var.constant(Tensor.randomNormal(dev.rewind.autodiff.tensor.Shape.of(5, 3), 0, 1, data));
    try (Tape tape = Tape.record()) {
      Var loss = model.apply(x).square().mean();
      StepReport unused =
          optimizer.step(ParameterGradients.from(tape.gradient(loss, model.parameters())));
    }
  }
}
