package dev.rewind.train;

import dev.rewind.autodiff.tape.Parameter;
import dev.rewind.autodiff.tape.Var;
import dev.rewind.autodiff.tensor.Shape;
import dev.rewind.autodiff.tensor.Tensor;
import dev.rewind.layers.HiddenState;
import dev.rewind.layers.Layer;
import dev.rewind.optim.Sgd;

/**
 * The smallest thing a {@link Trainer} can train, for tests of the loop itself: one weight {@code
 * w} and a batch whose targets {@code (a, c, s)} make the loss {@code c (w − a)² + s}. Training
 * batches pull {@code w} towards {@code a}; a validation batch with {@code c = 0} has loss exactly
 * {@code s}, so a test can script the validation curve.
 */
final class ScalarRun extends Layer {
  final Parameter w = parameter("w", Tensor.vector(0.5));

  static Batch batch(double a, double c, double s) {
    return Batch.of(Tensor.zeros(1, 1, 1), Tensor.of(Shape.of(1, 3), a, c, s));
  }

  static TrainingStep<HiddenState> step(ScalarRun model) {
    return (batch, state, random) -> {
      double a = batch.targets().getFlat(0);
      double c = batch.targets().getFlat(1);
      double s = batch.targets().getFlat(2);
      Var difference = model.w.sub(Var.scalar(a));
      Var loss = difference.mul(difference).mul(c).sum().add(Var.scalar(s));
      return StepResult.of(loss, state).withAccuracy(1, 2);
    };
  }

  /** Plain SGD on {@code w}, training batches at {@code a = 1}; the rest to configure. */
  TrainerBuilder<HiddenState> builder() {
    return Trainer.builder(
            this,
            Sgd.builder(parameters()).learningRate(0.1).build(),
            1,
            size -> HiddenState.zeros(size, 1))
        .source(position -> batch(1, 1, 0))
        .step(step(this));
  }
}
